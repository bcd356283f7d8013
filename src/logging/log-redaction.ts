import type { IncomingMessage, ServerResponse } from 'node:http';

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
 * Path segments after these prefixes are secrets (patient and staff invitation
 * link tokens). Matched ignoring case, as the router does: /I/<token> opens a
 * link too.
 */
const TOKEN_PREFIXES = ['/i/', '/api/intake/links/', '/welcome/'];

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

/**
 * Errors are logged by type, code and stack only. Database errors put row
 * values in `message`, `detail` and `parameters`; those stay out of the log.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const withCode = error as Error & {
    code?: unknown;
    driverError?: { code?: unknown; constraint?: unknown; table?: unknown };
  };
  const driver = withCode.driverError;
  if (driver) {
    return {
      type: error.name,
      code: driver.code,
      constraint: driver.constraint,
      table: driver.table,
      stack: stackFrames(error),
    };
  }
  return {
    type: error.name,
    code: withCode.code,
    message: error.message,
    stack: stackFrames(error),
  };
}

function stackFrames(error: Error): string | undefined {
  // Drop the first line, which repeats the message.
  return error.stack?.split('\n').slice(1).join('\n');
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
