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

  try {
    const applied = await withDataSource(database.url, async (dataSource) => {
      const names = await runMigrations(dataSource);
      if (database.embedded && config.demoData === 'auto' && (await isEmpty(dataSource))) {
        const logins = await seedDemo(dataSource, new PasswordHasher());
        if (logins) process.stdout.write(describeLogins(logins, baseUrl(config)) + '\n');
      }
      return names;
    });
    log.info({ applied }, applied.length ? 'Applied migrations' : 'Database schema is up to date');

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
    fail(error, database.url);
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
function fail(error: unknown, databaseUrl?: string): never {
  const known =
    error instanceof StartupError || error instanceof EmbeddedPostgresError
      ? error.message
      : databaseUrl && explainConnectionError(error, databaseUrl);
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
