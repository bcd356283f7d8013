import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from './project-root';

/**
 * The whole configuration of the service, read once from the environment at
 * start. Every variable is declared in VARIABLES below with what it expects;
 * `loadConfig` reports every bad variable at once.
 */
export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /** External PostgreSQL; when absent the embedded server is used. */
  readonly databaseUrl: string | undefined;
  readonly embeddedPg: { readonly dataDir: string; readonly port: number };
  /** Secret for CSRF tokens. Absent outside production: a per-install secret is generated. */
  readonly sessionSecret: string | undefined;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  readonly signInMaxFailures: number;
  /** Refused invitation-link opens allowed per client address in 15 minutes. */
  readonly invitationLinkMaxFailures: number;
  readonly invitationTtlDays: number;
  /** Where patients reach the service; invitation links start with it. */
  readonly publicUrl: string;
  /** The Chromium that renders PDF handouts (chromium-headless-shell by default). */
  readonly pdfBrowserPath: string;
  readonly pdfConcurrency: number;
  readonly logLevel: LogLevel;
  readonly demoData: 'auto' | 'off';
  readonly trustProxy: boolean;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

interface Variable<T> {
  readonly name: string;
  readonly expected: string;
  readonly fallback: (env: Env) => string | undefined;
  /** Returns the value, or undefined when the raw text is not acceptable. */
  readonly parse: (raw: string, env: Env) => T | undefined;
}

const integer =
  (min: number, max: number) =>
  (raw: string): number | undefined => {
    if (!/^\d+$/.test(raw)) return undefined;
    const value = Number(raw);
    return value >= min && value <= max ? value : undefined;
  };

const oneOf =
  <T extends string>(...allowed: T[]) =>
  (raw: string): T | undefined =>
    (allowed as string[]).includes(raw) ? (raw as T) : undefined;

const isProduction = (env: Env): boolean => env.NODE_ENV === 'production';

function postgresUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const database = url.pathname.replace(/^\//, '');
  if (!['postgres:', 'postgresql:'].includes(url.protocol) || !url.hostname || !database) {
    return undefined;
  }
  return raw;
}

const defaultDataDir = join(PROJECT_ROOT, '.data', 'postgres');

/**
 * Every environment variable the service reads. The README's configuration
 * table lists the same names (a test keeps the two in step).
 */
export const VARIABLES = {
  env: {
    name: 'NODE_ENV',
    expected: 'one of development, production, test',
    fallback: () => 'development',
    parse: oneOf('development', 'production', 'test'),
  },
  host: {
    name: 'HOST',
    expected: 'an interface address to listen on, such as 127.0.0.1 or 0.0.0.0',
    fallback: () => '127.0.0.1',
    parse: (raw: string) => (/^[\w.:-]+$/.test(raw) ? raw : undefined),
  },
  port: {
    name: 'PORT',
    expected: 'a TCP port number from 1 to 65535',
    fallback: () => '3000',
    parse: integer(1, 65535),
  },
  databaseUrl: {
    name: 'DATABASE_URL',
    expected: 'a postgres:// or postgresql:// URL with a host and a database name',
    fallback: () => undefined,
    parse: postgresUrl,
  },
  embeddedPgDataDir: {
    name: 'EMBEDDED_PG_DATA_DIR',
    expected: 'a folder for the embedded PostgreSQL data (used when DATABASE_URL is not set)',
    fallback: () => defaultDataDir,
    parse: (raw: string) => (raw.trim() ? resolve(raw) : undefined),
  },
  embeddedPgPort: {
    name: 'EMBEDDED_PG_PORT',
    expected: 'a TCP port number from 1024 to 65535 for the embedded PostgreSQL',
    fallback: () => '54320',
    parse: integer(1024, 65535),
  },
  sessionSecret: {
    name: 'SESSION_SECRET',
    expected: 'a random secret of at least 32 characters (required when NODE_ENV=production)',
    fallback: () => undefined,
    parse: (raw: string) => (raw.length >= 32 && new Set(raw).size >= 8 ? raw : undefined),
  },
  sessionIdleMinutes: {
    name: 'SESSION_IDLE_MINUTES',
    expected: 'minutes of inactivity before a clinician is signed out, from 1 to 1440',
    fallback: () => '30',
    parse: integer(1, 1440),
  },
  sessionAbsoluteHours: {
    name: 'SESSION_ABSOLUTE_HOURS',
    expected: 'hours after sign-in when a session ends regardless of activity, from 1 to 72',
    fallback: () => '12',
    parse: integer(1, 72),
  },
  signInMaxFailures: {
    name: 'SIGN_IN_MAX_FAILURES',
    expected: 'failed sign-ins allowed per email or address in 15 minutes, from 3 to 100',
    fallback: () => '10',
    parse: integer(3, 100),
  },
  invitationLinkMaxFailures: {
    name: 'INVITATION_LINK_MAX_FAILURES',
    expected:
      'invitation-link opens that fail (unknown, expired or revoked) allowed per address in 15 minutes, from 3 to 1000',
    fallback: () => '20',
    parse: integer(3, 1000),
  },
  invitationTtlDays: {
    name: 'INVITATION_TTL_DAYS',
    expected: 'days an invitation link stays valid, from 1 to 90',
    fallback: () => '14',
    parse: integer(1, 90),
  },
  publicUrl: {
    name: 'PUBLIC_URL',
    expected:
      'the http(s) address patients use to reach this service, without a path, e.g. https://intake.clinic.org',
    // Derived from HOST and PORT; a bad HOST or PORT is reported under its own name, not here.
    fallback: (env: Env) => {
      const port = integer(1, 65535)(env.PORT || '3000') ?? 3000;
      const host =
        !env.HOST || env.HOST === '0.0.0.0' || !/^[\w.-]+$/.test(env.HOST) ? 'localhost' : env.HOST;
      return `http://${host}:${port}`;
    },
    parse: (raw: string) => {
      try {
        const url = new URL(raw);
        return ['http:', 'https:'].includes(url.protocol) && url.pathname === '/' && !url.search
          ? url.origin
          : undefined;
      } catch {
        return undefined;
      }
    },
  },
  pdfBrowserPath: {
    name: 'PDF_BROWSER_PATH',
    expected: 'the path of a Chromium executable for PDF handouts',
    // The binary itself, not Debian's /usr/bin wrapper script (which runs it as a child process,
    // so the wrapper's pid is not the browser's).
    fallback: () =>
      [
        '/usr/lib/chromium/chromium-headless-shell',
        '/usr/bin/chromium-headless-shell',
        '/usr/bin/chromium',
      ].find((path) => existsSync(path)) ?? '/usr/lib/chromium/chromium-headless-shell',
    parse: (raw: string) => (raw.startsWith('/') ? raw : undefined),
  },
  pdfConcurrency: {
    name: 'PDF_CONCURRENCY',
    expected: 'handouts rendered at once, from 1 to 16 (default: one more than the CPU cores)',
    // One more than the cores: while a job waits on the browser, another keeps the CPU busy.
    fallback: () => String(Math.min(16, availableParallelism() + 1)),
    parse: integer(1, 16),
  },
  logLevel: {
    name: 'LOG_LEVEL',
    expected: 'one of fatal, error, warn, info, debug, trace, silent',
    fallback: () => 'info',
    parse: oneOf<LogLevel>('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  demoData: {
    name: 'DEMO_DATA',
    expected: 'auto (seed a demo clinic into an empty embedded database) or off',
    fallback: () => 'auto',
    parse: oneOf('auto', 'off'),
  },
  trustProxy: {
    name: 'TRUST_PROXY',
    expected: 'true when a reverse proxy sets X-Forwarded-For, otherwise false',
    fallback: () => 'false',
    parse: (raw: string) => (raw === 'true' ? true : raw === 'false' ? false : undefined),
  },
} satisfies Record<string, Variable<unknown>>;

/** Every variable has a fallback except these two, which may stay unset. */
type Optional = 'databaseUrl' | 'sessionSecret';
type Parsed = {
  [K in keyof typeof VARIABLES]: K extends Optional
    ? ReturnType<(typeof VARIABLES)[K]['parse']>
    : NonNullable<ReturnType<(typeof VARIABLES)[K]['parse']>>;
};

/** Reads and checks every variable; throws one ConfigError listing all problems. */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const values: Partial<Record<keyof typeof VARIABLES, unknown>> = {};

  for (const [key, variable] of Object.entries(VARIABLES) as [
    keyof typeof VARIABLES,
    Variable<unknown>,
  ][]) {
    const given = env[variable.name];
    const raw = given === undefined || given === '' ? variable.fallback(env) : given;
    if (raw === undefined) continue;
    const value = variable.parse(raw, env);
    if (value === undefined) {
      // Never echo secrets or credentials back, even when they are wrong.
      const shown = ['SESSION_SECRET', 'DATABASE_URL'].includes(variable.name)
        ? ''
        : ` (got "${raw}")`;
      problems.push(`${variable.name}: expected ${variable.expected}${shown}`);
      continue;
    }
    values[key] = value;
  }

  const parsed = values as Parsed;
  if (isProduction(env) && parsed.sessionSecret === undefined && !problems.some(isSecretProblem)) {
    problems.push(`${VARIABLES.sessionSecret.name}: expected ${VARIABLES.sessionSecret.expected}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: parsed.env,
    host: parsed.host,
    port: parsed.port,
    databaseUrl: parsed.databaseUrl,
    embeddedPg: { dataDir: parsed.embeddedPgDataDir, port: parsed.embeddedPgPort },
    sessionSecret: parsed.sessionSecret,
    sessionIdleMinutes: parsed.sessionIdleMinutes,
    sessionAbsoluteHours: parsed.sessionAbsoluteHours,
    signInMaxFailures: parsed.signInMaxFailures,
    invitationLinkMaxFailures: parsed.invitationLinkMaxFailures,
    invitationTtlDays: parsed.invitationTtlDays,
    publicUrl: parsed.publicUrl,
    pdfBrowserPath: parsed.pdfBrowserPath,
    pdfConcurrency: parsed.pdfConcurrency,
    logLevel: parsed.logLevel,
    demoData: parsed.demoData,
    trustProxy: parsed.trustProxy,
  };
}

function isSecretProblem(problem: string): boolean {
  return problem.startsWith(`${VARIABLES.sessionSecret.name}:`);
}
