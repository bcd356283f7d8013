import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DatabaseRuntime } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';

export const EMBEDDED_DATABASE = 'hormone_intake';

export interface StartedDatabase extends DatabaseRuntime {
  stop(): Promise<void>;
}

/** The configured PostgreSQL: DATABASE_URL if given, else the embedded server, started here. */
export async function startDatabase(
  config: AppConfig,
  log: (message: string) => void,
): Promise<StartedDatabase> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  }
  const server = await EmbeddedPostgres.start({ ...config.embeddedPg, log });
  try {
    await server.ensureDatabase(EMBEDDED_DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: server.url(EMBEDDED_DATABASE), embedded: true, stop: () => server.stop() };
}

/** Opens a short-lived connection for start-up work (migrations, demo seed). */
export async function withDataSource<T>(
  url: string,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = await new DataSource(dataSourceOptions(url, 2)).initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export { runMigrations };

/** Turns a failure to reach an external server into a sentence naming DATABASE_URL. */
export function explainConnectionError(error: unknown, url: string): string | undefined {
  const code = (error as { code?: unknown }).code;
  let where = 'the server';
  try {
    const parsed = new URL(url);
    where = `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    // Validated at start; keep the generic wording.
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `DATABASE_URL: nothing accepts connections at ${where}. Is PostgreSQL running there?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DATABASE_URL: the host of ${where} cannot be found.`;
    case 'ETIMEDOUT':
      return `DATABASE_URL: connecting to ${where} timed out.`;
    case '28P01':
    case '28000':
      return `DATABASE_URL: PostgreSQL at ${where} refused the user name or password.`;
    case '3D000':
      return `DATABASE_URL: the database it names does not exist on ${where}.`;
    default:
      if (error instanceof Error && /timeout exceeded when trying to connect/.test(error.message)) {
        return `DATABASE_URL: connecting to ${where} timed out.`;
      }
      return undefined;
  }
}
