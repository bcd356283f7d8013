import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
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
  /**
   * External PostgreSQL, from DATABASE_URL or from the DATABASE_HOST, _PORT,
   * _USER, _PASSWORD and _NAME parts; when absent the embedded server is used.
   * The role the running service connects as (a member of hormone_app).
   */
  readonly databaseUrl: string | undefined;
  /**
   * The same database as the owner of its schema (DATABASE_OWNER_USER and
   * _PASSWORD), for migrations only. Absent: migrations use databaseUrl.
   */
  readonly migrationDatabaseUrl: string | undefined;
  readonly embeddedPg: { readonly dataDir: string; readonly port: number };
  /** Secret for CSRF tokens. Absent outside production: a per-install secret is generated. */
  readonly sessionSecret: string | undefined;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  readonly signInMaxFailures: number;
  /** Calls each API key may make per minute. */
  readonly apiKeyCallsPerMinute: number;
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
  /**
   * The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are
   * believed (addresses, CIDR ranges or Express's names loopback, linklocal,
   * uniquelocal); false believes none.
   */
  readonly trustProxy: readonly string[] | false;
  /**
   * Redis for the handout queue: web instances queue handouts and render
   * workers make them. Unset: handouts are made in the web process.
   */
  readonly redisUrl: string | undefined;
  /** Where /metrics is served (on HOST); unset: no metrics endpoint. */
  readonly metricsPort: number | undefined;
  /** When set, /metrics asks for it as a Bearer token. */
  readonly metricsToken: string | undefined;
  /**
   * Email to patients (their invitation links); undefined: off. The SMTP URL
   * carries the server's credentials: never shown, logged or echoed.
   */
  readonly mail: MailConfig | undefined;
}

export interface MailConfig {
  /** smtp:// (STARTTLS when offered; required in production) or smtps:// (TLS from the start). */
  readonly smtpUrl: string;
  /** The sender, `address` or `Name <address>`. */
  readonly from: string;
  readonly replyTo: string | undefined;
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

function smtpUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (!['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) return undefined;
  if (url.pathname.replace(/^\//, '') || url.hash) return undefined;
  // A user without a password (or the reverse) is a typing slip, not a choice.
  if (Boolean(url.username) !== Boolean(url.password)) return undefined;
  return raw;
}

/** `address` or `Display Name <address>`, one line (a line break would add a header). */
function mailAddress(raw: string): string | undefined {
  if (/[\r\n]/.test(raw) || raw.length > 254) return undefined;
  const ADDRESS = /^[^\s@<>()",;:]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
  const named = /^([^<>"]*)<([^<>]+)>$/.exec(raw.trim());
  if (named) return ADDRESS.test(named[2]) ? raw.trim() : undefined;
  return ADDRESS.test(raw.trim()) ? raw.trim() : undefined;
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
  apiKeyCallsPerMinute: {
    name: 'API_KEY_CALLS_PER_MINUTE',
    expected: 'calls each API key may make per minute, from 10 to 100000',
    fallback: () => '600',
    parse: integer(10, 100_000),
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
    // Derived from HOST and PORT outside production; a bad HOST or PORT is reported under its
    // own name, not here. In production it must be given (links and cookies depend on it).
    fallback: (env: Env) => {
      if (isProduction(env)) return undefined;
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
  databaseHost: {
    name: 'DATABASE_HOST',
    expected:
      'the PostgreSQL host name or address (with DATABASE_USER and DATABASE_NAME; instead of DATABASE_URL)',
    fallback: () => undefined,
    parse: (raw: string) => (/^[\w.:-]+$/.test(raw) ? raw : undefined),
  },
  databasePort: {
    name: 'DATABASE_PORT',
    expected: 'the PostgreSQL port, from 1 to 65535',
    fallback: () => '5432',
    parse: integer(1, 65535),
  },
  databaseUser: {
    name: 'DATABASE_USER',
    expected: 'the PostgreSQL user name',
    fallback: () => undefined,
    parse: (raw: string) => raw,
  },
  databasePassword: {
    name: 'DATABASE_PASSWORD',
    expected: 'the PostgreSQL password (any characters)',
    fallback: () => undefined,
    parse: (raw: string) => raw,
  },
  databaseName: {
    name: 'DATABASE_NAME',
    expected: 'the PostgreSQL database name',
    fallback: () => undefined,
    parse: (raw: string) => raw,
  },
  databaseOwnerUser: {
    name: 'DATABASE_OWNER_USER',
    expected:
      'the PostgreSQL user that owns the schema and runs the migrations (with DATABASE_URL or DATABASE_HOST; another user than the service connects as)',
    fallback: () => undefined,
    parse: (raw: string) => raw,
  },
  databaseOwnerPassword: {
    name: 'DATABASE_OWNER_PASSWORD',
    expected: 'the password of DATABASE_OWNER_USER (any characters)',
    fallback: () => undefined,
    parse: (raw: string) => raw,
  },
  redisUrl: {
    name: 'REDIS_URL',
    expected: 'a redis:// or rediss:// URL of the Redis that carries the handout queue',
    fallback: () => undefined,
    parse: (raw: string) => {
      try {
        return ['redis:', 'rediss:'].includes(new URL(raw).protocol) ? raw : undefined;
      } catch {
        return undefined;
      }
    },
  },
  metricsPort: {
    name: 'METRICS_PORT',
    expected: 'a TCP port number from 1 to 65535 for the Prometheus metrics (unset: none)',
    fallback: () => undefined,
    parse: integer(1, 65535),
  },
  metricsToken: {
    name: 'METRICS_TOKEN',
    expected: 'a bearer token of at least 24 characters that /metrics asks for',
    fallback: () => undefined,
    parse: (raw: string) => (raw.length >= 24 ? raw : undefined),
  },
  smtpUrl: {
    name: 'SMTP_URL',
    expected:
      'an smtp:// or smtps:// URL of the mail server, with user:password when it asks for sign-in, e.g. smtps://user:password@smtp.example.org:465 (unset: no email is sent)',
    fallback: () => undefined,
    parse: smtpUrl,
  },
  mailFrom: {
    name: 'MAIL_FROM',
    expected:
      'the sender of emails to patients, an address or Name <address>, e.g. Appointments <no-reply@clinic.example> (required with SMTP_URL)',
    fallback: () => undefined,
    parse: mailAddress,
  },
  mailReplyTo: {
    name: 'MAIL_REPLY_TO',
    expected: "where a patient's reply goes, an address or Name <address> (optional)",
    fallback: () => undefined,
    parse: mailAddress,
  },
  trustProxy: {
    name: 'TRUST_PROXY',
    expected:
      'false, or the addresses of the reverse proxies whose X-Forwarded-For to believe, comma-separated: IP addresses, CIDR ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal',
    fallback: () => 'false',
    parse: (raw: string) => {
      if (raw === 'false') return false as const;
      const entries = raw.split(',').map((entry) => entry.trim());
      return entries.length > 0 && entries.every(isProxyAddress) ? entries : undefined;
    },
  },
} satisfies Record<string, Variable<unknown>>;

/** Every variable has a fallback except these, which may stay unset. */
type Optional =
  | 'databaseUrl'
  | 'sessionSecret'
  | 'publicUrl'
  | 'databaseHost'
  | 'databaseUser'
  | 'databasePassword'
  | 'databaseName'
  | 'databaseOwnerUser'
  | 'databaseOwnerPassword'
  | 'redisUrl'
  | 'metricsPort'
  | 'metricsToken'
  | 'smtpUrl'
  | 'mailFrom'
  | 'mailReplyTo';
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
      const shown = [
        'SESSION_SECRET',
        'DATABASE_URL',
        'DATABASE_PASSWORD',
        'DATABASE_OWNER_PASSWORD',
        'REDIS_URL',
        'METRICS_TOKEN',
        'SMTP_URL',
      ].includes(variable.name)
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
  if (isProduction(env) && !problems.some((p) => p.startsWith(`${VARIABLES.publicUrl.name}:`))) {
    if (parsed.publicUrl === undefined) {
      problems.push(
        `${VARIABLES.publicUrl.name}: required when NODE_ENV=production (${HTTPS_URL})`,
      );
    } else if (!parsed.publicUrl.startsWith('https://')) {
      problems.push(
        `${VARIABLES.publicUrl.name}: must be https when NODE_ENV=production, since the session cookies are Secure (${HTTPS_URL}; got "${parsed.publicUrl}")`,
      );
    }
  }
  const mail = mailOf(parsed, env, problems);
  const databaseUrl = databaseUrlOf(parsed, env, problems);
  const migrationDatabaseUrl = ownerUrlOf(parsed, databaseUrl, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: parsed.env,
    host: parsed.host,
    port: parsed.port,
    databaseUrl,
    migrationDatabaseUrl,
    embeddedPg: { dataDir: parsed.embeddedPgDataDir, port: parsed.embeddedPgPort },
    sessionSecret: parsed.sessionSecret,
    sessionIdleMinutes: parsed.sessionIdleMinutes,
    sessionAbsoluteHours: parsed.sessionAbsoluteHours,
    signInMaxFailures: parsed.signInMaxFailures,
    apiKeyCallsPerMinute: parsed.apiKeyCallsPerMinute,
    invitationLinkMaxFailures: parsed.invitationLinkMaxFailures,
    invitationTtlDays: parsed.invitationTtlDays,
    publicUrl: parsed.publicUrl!,
    pdfBrowserPath: parsed.pdfBrowserPath,
    pdfConcurrency: parsed.pdfConcurrency,
    logLevel: parsed.logLevel,
    demoData: parsed.demoData,
    trustProxy: parsed.trustProxy,
    redisUrl: parsed.redisUrl,
    metricsPort: parsed.metricsPort,
    metricsToken: parsed.metricsToken,
    mail,
  };
}

/** Email is on with SMTP_URL and MAIL_FROM together; either alone is a mistake. */
function mailOf(parsed: Parsed, env: Env, problems: string[]): MailConfig | undefined {
  const hasUrl = Boolean(env.SMTP_URL);
  const hasFrom = Boolean(env.MAIL_FROM);
  if (hasUrl && !hasFrom) problems.push('MAIL_FROM: required with SMTP_URL');
  if (!hasUrl && (hasFrom || env.MAIL_REPLY_TO)) {
    problems.push(
      `SMTP_URL: required with ${hasFrom ? 'MAIL_FROM' : 'MAIL_REPLY_TO'} (or unset both: no email is sent)`,
    );
  }
  if (parsed.smtpUrl === undefined || parsed.mailFrom === undefined) return undefined;
  return { smtpUrl: parsed.smtpUrl, from: parsed.mailFrom, replyTo: parsed.mailReplyTo };
}

const HTTPS_URL = 'the https address patients use, e.g. https://intake.clinic.org';

/**
 * The external database: DATABASE_URL, or a URL built from the parts with
 * each one encoded, so a password with '/', '@' or '#' needs no escaping.
 * Both at once is refused (which would win is a guess), as is half of the parts.
 */
function databaseUrlOf(parsed: Parsed, env: Env, problems: string[]): string | undefined {
  const parts = ['DATABASE_HOST', 'DATABASE_USER', 'DATABASE_PASSWORD', 'DATABASE_NAME'];
  const given = parts.filter((name) => env[name] !== undefined && env[name] !== '');
  if (given.length === 0) return parsed.databaseUrl;
  if (env.DATABASE_URL) {
    problems.push(
      `DATABASE_URL: give either DATABASE_URL or the DATABASE_HOST/_USER/_PASSWORD/_NAME parts, not both (${given.join(', ')} set)`,
    );
    return undefined;
  }
  const missing = ['DATABASE_HOST', 'DATABASE_USER', 'DATABASE_NAME'].filter(
    (name) => !given.includes(name),
  );
  if (missing.length > 0) {
    problems.push(
      `${missing.join(', ')}: required with ${given.join(', ')} (or give DATABASE_URL)`,
    );
    return undefined;
  }
  if (parsed.databaseHost === undefined) return undefined;
  const user = encodeURIComponent(parsed.databaseUser ?? '');
  const password =
    parsed.databasePassword === undefined ? '' : `:${encodeURIComponent(parsed.databasePassword)}`;
  const host = isIP(parsed.databaseHost) === 6 ? `[${parsed.databaseHost}]` : parsed.databaseHost;
  return `postgres://${user}${password}@${host}:${parsed.databasePort}/${encodeURIComponent(parsed.databaseName ?? '')}`;
}

/**
 * The owner's URL: the service's database (from DATABASE_URL or the parts)
 * with DATABASE_OWNER_USER and _PASSWORD in place of its user and password,
 * so the server is named once and either form works.
 */
function ownerUrlOf(
  parsed: Parsed,
  databaseUrl: string | undefined,
  env: Env,
  problems: string[],
): string | undefined {
  const user = parsed.databaseOwnerUser;
  if (user === undefined) {
    if (env.DATABASE_OWNER_PASSWORD) {
      problems.push('DATABASE_OWNER_USER: required with DATABASE_OWNER_PASSWORD');
    }
    return undefined;
  }
  if (!env.DATABASE_URL && !env.DATABASE_HOST) {
    problems.push(
      'DATABASE_OWNER_USER: only with an external database (DATABASE_URL or DATABASE_HOST); the embedded one makes its own roles',
    );
    return undefined;
  }
  if (databaseUrl === undefined) return undefined; // its own problem is reported
  const url = new URL(databaseUrl);
  if (safeDecode(url.username) === user) {
    problems.push(
      `DATABASE_OWNER_USER: must be another user than the service connects as (got "${user}" for both)`,
    );
    return undefined;
  }
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(parsed.databaseOwnerPassword ?? '');
  return url.toString();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** What Express's trust-proxy list accepts: a name, an address, or an address/prefix. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

function isSecretProblem(problem: string): boolean {
  return problem.startsWith(`${VARIABLES.sessionSecret.name}:`);
}
