import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { provisionRoles } from '../../src/database/database-roles';
import { runMigrations } from '../../src/database/migrate';
import { asRole, replaceDatabase, TEST_ENV, TEST_OWNER, TEST_SERVICE } from './test-env';
import { startThrowawayPostgres, ThrowawayPostgres } from './throwaway-postgres';

declare global {
  var testPostgres: ThrowawayPostgres | undefined;
}

/**
 * Once per test run: a real PostgreSQL (a throwaway embedded cluster, or the
 * server in DATABASE_URL, as a superuser), an owner and a service login role
 * with passwords made for this run, and a template database, owned by the
 * owner, with every migration applied as the owner. Each spec file then
 * clones the template (see test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    globalThis.testPostgres = await startThrowawayPostgres();
    adminUrl = globalThis.testPostgres.server.url('postgres');
  }

  const template = `hp_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const owner = { name: TEST_OWNER, password: randomBytes(18).toString('base64url') };
  const service = { name: TEST_SERVICE, password: randomBytes(18).toString('base64url') };
  await provisionRoles(adminUrl, template, owner, service);
  const dataSource = await new DataSource(
    dataSourceOptions(asRole(replaceDatabase(adminUrl, template), owner.name, owner.password), 2),
  ).initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }

  process.env[TEST_ENV.adminUrl] = adminUrl;
  process.env[TEST_ENV.template] = template;
  process.env[TEST_ENV.ownerPassword] = owner.password;
  process.env[TEST_ENV.servicePassword] = service.password;
}
