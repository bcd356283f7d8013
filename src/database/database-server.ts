import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DatabaseRuntime } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { LoginRole, provisionRoles } from './database-roles';
import { EmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';

export const EMBEDDED_DATABASE = 'hormone_intake';
/** The embedded server's two login roles: the schema's owner, and the service (a member of hormone_app). */
export const EMBEDDED_OWNER = 'hormone_owner';
export const EMBEDDED_SERVICE = 'hormone_service';

export interface StartedDatabase extends DatabaseRuntime {
  /** Where migrations run: as the owner of the schema, or the one role given. */
  readonly migrationUrl: string;
  /** True when migrations and the service use different roles. */
  readonly separateOwner: boolean;
  stop(): Promise<void>;
}

/**
 * The configured PostgreSQL: DATABASE_URL (or its parts) if given, else the
 * embedded server, started here with its owner and service roles made (and
 * an older install's tables handed from the superuser to the owner).
 */
export async function startDatabase(
  config: AppConfig,
  log: (message: string) => void,
): Promise<StartedDatabase> {
  if (config.databaseUrl) {
    return {
      url: config.databaseUrl,
      migrationUrl: config.migrationDatabaseUrl ?? config.databaseUrl,
      separateOwner: config.migrationDatabaseUrl !== undefined,
      embedded: false,
      stop: () => Promise.resolve(),
    };
  }
  const server = await EmbeddedPostgres.start({ ...config.embeddedPg, log });
  try {
    await server.ensureDatabase(EMBEDDED_DATABASE);
    const { owner, service } = await embeddedRoles(server);
    return {
      url: server.url(EMBEDDED_DATABASE, service),
      migrationUrl: server.url(EMBEDDED_DATABASE, owner),
      separateOwner: true,
      embedded: true,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * The owner and service roles on an embedded server, with passwords made
 * once and kept in its folder beside the superuser's (files readable by this
 * user only), set again at every start so the two never disagree.
 */
export async function embeddedRoles(
  server: EmbeddedPostgres,
  database = EMBEDDED_DATABASE,
): Promise<{ owner: LoginRole; service: LoginRole }> {
  const owner = { name: EMBEDDED_OWNER, password: await keptPassword(server.dataDir, 'owner') };
  const service = {
    name: EMBEDDED_SERVICE,
    password: await keptPassword(server.dataDir, 'service'),
  };
  await provisionRoles(server.url('postgres'), database, owner, service);
  return { owner, service };
}

async function keptPassword(dataDir: string, role: string): Promise<string> {
  const file = join(dataDir, `embedded-${role}.password`);
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.length >= 24) return kept;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, password, { mode: 0o600 });
  return password;
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

/**
 * Turns a failure to reach an external server into a sentence naming
 * DATABASE_URL, or for refused credentials the variable that gave them
 * (DATABASE_OWNER_USER when migrations run as the owner).
 */
export function explainConnectionError(
  error: unknown,
  url: string,
  credentials = 'DATABASE_URL',
): string | undefined {
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
      return `${credentials}: PostgreSQL at ${where} refused the user name or password.`;
    case '3D000':
      return `DATABASE_URL: the database it names does not exist on ${where}.`;
    default:
      if (error instanceof Error && /timeout exceeded when trying to connect/.test(error.message)) {
        return `DATABASE_URL: connecting to ${where} timed out.`;
      }
      return undefined;
  }
}
