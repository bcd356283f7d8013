import 'reflect-metadata';
import pino from 'pino';
import { createApp } from './app';
import { PasswordHasher } from './auth/password-hasher';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { keptSessionSecret } from './config/kept-secret';
import {
  explainConnectionError,
  runMigrations,
  StartedDatabase,
  startDatabase,
  withDataSource,
} from './database/database-server';
import { judgeServiceRole, serviceRolePowers } from './database/database-roles';
import { EmbeddedPostgresError } from './database/embedded-postgres';
import { PdfRenderer } from './handouts/pdf-renderer';
import { describeLogins, isEmpty, seedDemo } from './seed/demo-seed';

/** How long in-flight requests get to finish on shutdown before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 20_000;

/**
 * Start-up, in order: configuration, database (embedded unless DATABASE_URL),
 * migrations, the demo clinic on a new embedded install, then HTTP. On SIGINT
 * or SIGTERM: stop taking requests, let in-flight ones finish, close the
 * pool, and only then stop the embedded PostgreSQL.
 */
async function main(): Promise<void> {
  let config = loadConfigOrExit();
  const log = pino({ level: config.logLevel, base: { context: 'Bootstrap' } });

  let database: StartedDatabase;
  try {
    database = await startDatabase(config, (message) => log.info(message));
  } catch (error) {
    return fail(error);
  }

  // Which connection a failure is about, for a sentence that names the right variable.
  let connecting = { url: database.migrationUrl, variable: 'DATABASE_URL' };
  try {
    if (!database.separateOwner && config.env === 'production') {
      throw new StartupError(
        'DATABASE_OWNER_USER: required when NODE_ENV=production. Migrations run as the owner of the schema ' +
          '(DATABASE_OWNER_USER and DATABASE_OWNER_PASSWORD), and the service connects as another role, a member of ' +
          'hormone_app, that cannot change the tables or the audit trail (README, "With an external PostgreSQL").',
      );
    }
    if (database.separateOwner && !database.embedded) {
      connecting = { url: database.migrationUrl, variable: 'DATABASE_OWNER_USER' };
    }
    const applied = await withDataSource(database.migrationUrl, runMigrations);
    log.info({ applied }, applied.length ? 'Applied migrations' : 'Database schema is up to date');

    // From here on, as the service's own role: its grants must be enough, and no more.
    connecting = { url: database.url, variable: 'DATABASE_URL' };
    const verdict = judgeServiceRole(
      await serviceRolePowers(database.url),
      config.env === 'production',
    );
    if (verdict.refuse) throw new StartupError(verdict.refuse);
    if (verdict.warn) log.warn(verdict.warn);
    if (database.embedded && config.demoData === 'auto') {
      await withDataSource(database.url, async (dataSource) => {
        if (!(await isEmpty(dataSource))) return;
        const logins = await seedDemo(dataSource, new PasswordHasher());
        if (logins) process.stdout.write(describeLogins(logins, baseUrl(config)) + '\n');
      });
    }

    if (database.embedded && config.sessionSecret === undefined) {
      config = { ...config, sessionSecret: await keptSessionSecret(config.embeddedPg.dataDir) };
    }
    const app = await createApp(config, database);
    await listen(app, config);
    // Start the PDF browser now rather than on the first handout; readiness reports it.
    // With REDIS_URL the render workers make handouts, and this process starts no browser.
    if (!config.redisUrl)
      void app
        .get(PdfRenderer)
        .warmUp()
        .catch(() => undefined);
    log.info(
      { embeddedDatabase: database.embedded },
      `Listening on ${baseUrl(config)} (readiness: ${baseUrl(config)}/health/ready)`,
    );

    let stopping = false;
    const shutdown = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'Shutting down: finishing requests in flight');
      const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
      force.unref();
      app
        .close()
        .then(() => database.stop())
        .then(() => {
          log.info('Stopped');
          process.exit(0);
        })
        .catch((error: unknown) => {
          log.error({ err: error }, 'Shutdown failed');
          process.exit(1);
        });
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (error) {
    await database.stop().catch(() => undefined);
    fail(error, connecting);
  }
}

function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function listen(
  app: Awaited<ReturnType<typeof createApp>>,
  config: AppConfig,
): Promise<void> {
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') {
      throw new StartupError(
        `PORT: ${config.port} is already in use on ${config.host}. Choose another port.`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new StartupError(`HOST: ${config.host} is not an address of this machine.`);
    }
    if (code === 'EACCES') {
      throw new StartupError(
        `PORT: ${config.port} needs privileges this process lacks. Use a port above 1023.`,
      );
    }
    throw error;
  }
}

class StartupError extends Error {}

/** One clear sentence and a non-zero exit for the failures a person can fix; a stack only for bugs. */
function fail(error: unknown, database?: { url: string; variable: string }): never {
  const known =
    error instanceof StartupError || error instanceof EmbeddedPostgresError
      ? error.message
      : database && explainConnectionError(error, database.url, database.variable);
  process.stderr.write(
    known
      ? `Cannot start: ${known}\n`
      : `Cannot start: ${String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(1);
}

function baseUrl(config: AppConfig): string {
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

void main();
