import { chmod, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { replaceDatabase, TEST_ENV } from './test-env';

declare global {
  var testPostgres: EmbeddedPostgres | undefined;
}

/**
 * Once per test run: a real PostgreSQL (a throwaway embedded cluster, or the
 * server in DATABASE_URL), and a template database with every migration
 * applied. Each spec file then clones the template (see test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const root = await mkdtemp(join(tmpdir(), 'hp-test-pg-'));
    await chmod(root, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its folder
    const server = await EmbeddedPostgres.start({
      dataDir: join(root, 'data'),
      port: await freePort(),
      // A throwaway cluster: durability off for speed.
      settings: {
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        max_connections: '200',
      },
    });
    globalThis.testPostgres = server;
    adminUrl = server.url('postgres');
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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
