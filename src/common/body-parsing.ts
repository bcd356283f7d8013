import { json, NextFunction, Request, RequestHandler, Response, urlencoded } from 'express';
import { logRefusedBody } from '../logging/request-log';
import { DomainError, ErrorCode } from './domain-error';

/** Largest request body accepted, JSON or form. An intake is a few kilobytes. */
export const BODY_LIMIT = '64kb';

/**
 * JSON and form parsers, each followed by a handler that turns body-parser's
 * errors into DomainErrors, so the error filter answers them like any other.
 * They run before pino-http's middleware, so each refusal writes its own
 * `warn` line (logRefusedBody), naming why but holding nothing of the body.
 */
export function bodyParsers(): (RequestHandler | typeof translateBodyError)[] {
  return [
    json({ limit: BODY_LIMIT }),
    urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 500 }),
    translateBodyError,
    refuseUnstorableBody,
  ];
}

/** Deeper than any form or DTO here; far shallower than what overflows a validator's stack. */
const MAX_DEPTH = 16;

/**
 * Refuses, for every route at once, a body nested deeper than MAX_DEPTH and
 * text with a NUL character, which PostgreSQL cannot store: both would
 * otherwise fail later as a 500. Walks the body with a stack, not recursion.
 */
function refuseUnstorableBody(req: Request, res: Response, next: NextFunction): void {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: req.body as unknown, path: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) {
        logRefusedBody(req, res, 'body.nul.character');
        return next(
          new DomainError(ErrorCode.ValidationFailed, 'Text may not contain a NUL character.', [
            {
              field: path || 'body',
              message: 'Remove the NUL character (\\u0000) from this text.',
            },
          ]),
        );
      }
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_DEPTH) {
        logRefusedBody(req, res, 'body.too.deep');
        return next(
          new DomainError(
            ErrorCode.MalformedBody,
            `The request body nests deeper than ${MAX_DEPTH} levels.`,
          ),
        );
      }
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) stack.push({ value: key, path: childPath, depth });
        stack.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  next();
}

/** The body named as the field at fault, as validation names its fields. */
const malformedBody = (message: string, advice: string): DomainError =>
  new DomainError(ErrorCode.MalformedBody, message, [{ field: 'body', message: advice }]);

/**
 * Maps what the parsers refuse to DomainErrors. Besides body-parser's own
 * typed errors, a compressed body (Content-Encoding gzip, deflate or br) that
 * is truncated or corrupt fails in zlib, whose error body-parser passes on
 * with no `type` but a zlib `code` (Z_DATA_ERROR, Z_BUF_ERROR): once a 500.
 * The size limit counts the decompressed bytes, so a small body that inflates
 * past it is a 413 like any other.
 */
function translateBodyError(error: unknown, req: Request, res: Response, next: NextFunction): void {
  const { type, code, status } = error as { type?: unknown; code?: unknown; status?: unknown };
  const fromZlib = typeof code === 'string' && code.startsWith('Z_');
  if (typeof type === 'string') logRefusedBody(req, res, type);
  else if (fromZlib) logRefusedBody(req, res, 'encoding.corrupt');
  if (type === 'entity.too.large') {
    return next(
      new DomainError(ErrorCode.PayloadTooLarge, `The request body is larger than ${BODY_LIMIT}.`),
    );
  }
  if (type === 'entity.parse.failed') {
    return next(
      malformedBody('The request body is not valid JSON.', 'Send the body as valid JSON.'),
    );
  }
  if (type === 'encoding.unsupported') {
    return next(
      malformedBody(
        'The request body is compressed in a way this service does not read.',
        'Send the body uncompressed, or with Content-Encoding gzip, deflate or br.',
      ),
    );
  }
  if (fromZlib) {
    return next(
      malformedBody(
        'The request body could not be decompressed: it is truncated or corrupt.',
        'Send the whole body, compressed as its Content-Encoding header says.',
      ),
    );
  }
  // Any other refusal of the parsers (a request aborted, an unknown charset): the client's.
  if (typeof type === 'string' || (typeof status === 'number' && status >= 400 && status < 500)) {
    if (typeof type !== 'string') logRefusedBody(req, res, 'body.unreadable');
    return next(
      malformedBody('The request body could not be read.', 'Send the body again, whole.'),
    );
  }
  next(error);
}
