import type { IncomingMessage, ServerResponse } from 'node:http';
import { types } from 'node:util';

/**
 * What a log line may say about a request: method, a URL without query
 * string and with any link token masked, the request id. Never bodies,
 * cookies, tokens or headers that carry them.
 */
export interface LoggedRequest {
  readonly id: unknown;
  readonly method: string | undefined;
  readonly url: string;
}

/**
 * Path segments after these prefixes are secrets (patient invitation link
 * tokens, opened or emailed, and staff invitation link tokens). Matched
 * ignoring case, as the router does: /I/<token> opens a link too.
 */
const TOKEN_PREFIXES = ['/i/', '/e/', '/api/intake/links/', '/welcome/', '/password-reset/'];

/**
 * Path segments that name a finding about a patient: a discussion point's id
 * is the rule that fired (`stress.high.female`, `diet.alcohol`), so marking
 * it would log what the assessment found.
 */
const FINDING_SEGMENTS = /^(\/(?:api\/)?assessments\/[^/]+\/points\/)[^/]+/i;

export function redactUrl(url: string | undefined): string {
  if (!url) return '';
  const path = (url.split('?')[0] ?? '').replace(FINDING_SEGMENTS, '$1[redacted]');
  for (const prefix of TOKEN_PREFIXES) {
    if (path.toLowerCase().startsWith(prefix)) {
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      return `${path.slice(0, prefix.length)}[redacted]${slash === -1 ? '' : rest.slice(slash)}`;
    }
  }
  return url.includes('?') ? `${path}?[redacted]` : path;
}

export function serializeRequest(req: IncomingMessage & { id?: unknown }): LoggedRequest {
  return { id: req.id, method: req.method, url: redactUrl(req.originalUrl ?? req.url) };
}

export function serializeResponse(res: ServerResponse): { statusCode: number } {
  return { statusCode: res.statusCode };
}

/** Error names whose message quotes values from the request or the database. */
const MESSAGES_WITH_VALUES = new Set([
  // "Could not find any entity of type "X" matching: { …the criteria, with their values… }"
  'EntityNotFoundError',
]);

/** Longest message logged: enough for any bug's message, not for a pasted record. */
const MAX_MESSAGE = 300;

/**
 * One error as a log line shows it: its class name (`type`), message and
 * stack frames, picked one by one, never copied wholesale (pino's standard
 * serializer copies every own property: a database error's `parameters`,
 * body-parser's `body`).
 *
 * Messages, and what may be in them:
 * - Database errors put row values in `message` (`invalid input syntax for
 *   type uuid: "…"`), `detail` (`Key (reference)=(MRN-…) already exists`),
 *   `parameters` and `query`. They are logged by SQLSTATE code, constraint
 *   and table only: TypeORM's QueryFailedError (the driver's error in
 *   `driverError`) and the pg driver's own error (it has a `severity`).
 * - body-parser's errors quote the body (a JSON syntax error shows its
 *   start): logged by their `type` (`entity.parse.failed`) and status only.
 * - Every other message is logged, cut to MAX_MESSAGE characters. That is a
 *   choice: such a message could quote input (Node's JSON.parse quotes the
 *   text it fails on; a library might). But only unexpected errors are logged
 *   with their error: refused input is answered as a 4xx and its line has no
 *   message (validation, bodies, DomainErrors, whose messages are fixed
 *   sentences anyway). What reaches here is a bug, and its message (`Cannot
 *   read properties of undefined (reading 'sleep')`) is what makes the line
 *   worth having; the families known to quote values are handled above.
 * - A thrown value that is not an Error has unknown content: only its kind.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  // isNativeError also knows an Error from another realm (a Jest sandbox, a vm context).
  if (!(error instanceof Error || types.isNativeError(error))) {
    const kind = error === null ? 'null' : typeof error;
    const name = (error as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return { type: kind === 'object' && typeof name === 'string' ? name : kind };
  }
  const withCode = error as Error & {
    code?: unknown;
    severity?: unknown;
    constraint?: unknown;
    table?: unknown;
    type?: unknown;
    status?: unknown;
    driverError?: { code?: unknown; constraint?: unknown; table?: unknown };
  };
  const database = withCode.driverError ?? (isPostgresError(withCode) ? withCode : undefined);
  if (database) {
    return {
      type: error.name,
      code: database.code,
      constraint: database.constraint,
      table: database.table,
      stack: stackFrames(error),
    };
  }
  if (typeof withCode.type === 'string' && typeof withCode.status === 'number') {
    return {
      type: error.name,
      parserType: withCode.type,
      status: withCode.status,
      stack: stackFrames(error),
    };
  }
  return {
    type: error.name,
    code: withCode.code,
    message: MESSAGES_WITH_VALUES.has(error.name) ? '[redacted]' : truncate(error.message),
    stack: stackFrames(error),
  };
}

/** The pg driver's DatabaseError: a severity and a five-character SQLSTATE. */
function isPostgresError(error: { code?: unknown; severity?: unknown }): boolean {
  return (
    typeof error.severity === 'string' &&
    typeof error.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(error.code)
  );
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}

function stackFrames(error: Error): string | undefined {
  // Only the frames: the lines before them repeat the message, which may span lines.
  return error.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/** Belt and braces: pino's redaction for anything that reaches a log object by another path. */
export const REDACT_PATHS = [
  'req.headers',
  'req.body',
  'res.headers',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.tokenHash',
  '*.cookie',
  '*.authorization',
  '*.apiKey',
  '*.key',
  '*.answers',
  '*.scores',
  '*.results',
  '*.content',
];

// Express adds `originalUrl`; declare it for the serializer above.
declare module 'node:http' {
  interface IncomingMessage {
    originalUrl?: string;
  }
}
