import { Client } from 'pg';
import { TEST_ENV } from './test-env';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env[TEST_ENV.adminUrl];
  const template = process.env[TEST_ENV.template];
  if (adminUrl && template && !globalThis.testPostgres) {
    // An external server outlives the run: leave it as we found it.
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`).finally(() => admin.end());
  }
  await globalThis.testPostgres?.stop();
}
