import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { asRole, replaceDatabase, TEST_OWNER, TEST_SERVICE, testEnv } from './test-env';

export interface TestDatabase {
  /** As the superuser: for a test's own setup and checks, beyond what the service may do. */
  readonly url: string;
  /** As the owner of the schema, which runs migrations. */
  readonly ownerUrl: string;
  /** As the service's own role, a member of hormone_app only: what the app under test uses. */
  readonly serviceUrl: string;
  /**
   * The environment that starts the real entrypoint on this database as an
   * operator configures it: the service's role, and the owner for migrations.
   */
  readonly serviceEnv: Readonly<Record<string, string>>;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template: real schema, no rows, the owner's. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = testEnv('adminUrl');
  const template = testEnv('template');
  const name = `hp_test_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, async (admin) => {
    // Two workers cloning the same template at once can collide; try again shortly.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template} OWNER ${TEST_OWNER}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await sleep(100 * attempt);
      }
    }
  });
  const url = replaceDatabase(adminUrl, name);
  const ownerPassword = testEnv('ownerPassword');
  const serviceUrl = asRole(url, TEST_SERVICE, testEnv('servicePassword'));
  return {
    url,
    ownerUrl: asRole(url, TEST_OWNER, ownerPassword),
    serviceUrl,
    serviceEnv: {
      DATABASE_URL: serviceUrl,
      DATABASE_OWNER_USER: TEST_OWNER,
      DATABASE_OWNER_PASSWORD: ownerPassword,
    },
    name,
    drop: async () => {
      await withAdmin(adminUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

async function withAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
