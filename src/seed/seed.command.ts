import 'reflect-metadata';
import { PasswordHasher } from '../auth/password-hasher';
import { ConfigError, loadConfig } from '../config/app-config';
import { runMigrations, startDatabase, withDataSource } from '../database/database-server';
import { EmbeddedPostgresError } from '../database/embedded-postgres';
import { DEMO_CLINIC_NAME, describeLogins, seedDemo } from './demo-seed';

/**
 * `npm run seed`: creates the demo clinic, its clinician and admin logins
 * (printed once) and a few patients, in the configured database. With the
 * embedded database, run it while the service is stopped.
 */
async function seed(): Promise<void> {
  const config = loadConfig(process.env);
  const database = await startDatabase(config, () => undefined);
  try {
    // Migrations as the owner of the schema; the demo rows as the service's own role.
    await withDataSource(database.migrationUrl, runMigrations);
    const logins = await withDataSource(database.url, (dataSource) =>
      seedDemo(dataSource, new PasswordHasher()),
    );
    const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
    process.stdout.write(
      logins
        ? `${describeLogins(logins, `http://${host}:${config.port}`)}\n`
        : `The demo clinic "${DEMO_CLINIC_NAME}" already exists; nothing was changed.\n`,
    );
  } finally {
    await database.stop();
  }
}

seed().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof EmbeddedPostgresError;
  process.stderr.write(
    `Seed failed: ${known ? error.message : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(1);
});
