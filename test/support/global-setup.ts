import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { replaceDatabase, TEST_ENV } from './test-env';
import { startThrowawayPostgres, ThrowawayPostgres } from './throwaway-postgres';

declare global {
  var testPostgres: ThrowawayPostgres | undefined;
}

/**
 * Once per test run: a real PostgreSQL (a throwaway embedded cluster, or the
 * server in DATABASE_URL), and a template database with every migration
 * applied. Each spec file then clones the template (see test-database.ts).
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
  const dataSource = await new DataSource(
    dataSourceOptions(replaceDatabase(adminUrl, template), 2),
  ).initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }

  process.env[TEST_ENV.adminUrl] = adminUrl;
  process.env[TEST_ENV.template] = template;
}
