import { json, NextFunction, Request, RequestHandler, Response, urlencoded } from 'express';
import { DomainError, ErrorCode } from './domain-error';

/** Largest request body accepted, JSON or form. An intake is a few kilobytes. */
export const BODY_LIMIT = '64kb';

/**
 * JSON and form parsers, each followed by a handler that turns body-parser's
 * errors into DomainErrors, so the error filter answers them like any other.
 */
export function bodyParsers(): (RequestHandler | typeof translateBodyError)[] {
  return [
    json({ limit: BODY_LIMIT }),
    urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 500 }),
    translateBodyError,
  ];
}

function translateBodyError(
  error: unknown,
  _req: Request,
  _res: Response,
  next: NextFunction,
): void {
  const type = (error as { type?: unknown }).type;
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
