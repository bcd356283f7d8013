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

function translateBodyError(error: unknown, req: Request, res: Response, next: NextFunction): void {
  const type = (error as { type?: unknown }).type;
  if (typeof type === 'string') logRefusedBody(req, res, type);
  if (type === 'entity.too.large') {
    return next(
      new DomainError(ErrorCode.PayloadTooLarge, `The request body is larger than ${BODY_LIMIT}.`),
    );
  }
  if (type === 'entity.parse.failed') {
    return next(new DomainError(ErrorCode.MalformedBody, 'The request body is not valid JSON.'));
  }
  if (typeof type === 'string') {
    return next(new DomainError(ErrorCode.MalformedBody, 'The request body could not be read.'));
  }
  next(error);
}
