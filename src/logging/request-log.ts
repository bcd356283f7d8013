import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The request's id: the caller's X-Request-Id when it looks like one, else a
 * new UUID. Set on the request and echoed in the X-Request-Id header.
 */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  if (typeof req.id === 'string' && req.id !== '') return req.id;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  req.id = id;
  if (!res.headersSent) res.setHeader('X-Request-Id', id);
  return id;
}

/** Requests that get no line of their own: readiness and liveness probes, polled all day. */
export function isQuietRequest(req: IncomingMessage): boolean {
  return (req.originalUrl ?? req.url)?.startsWith('/health/') ?? false;
}

/**
 * True when pino-http will still write this request's line (it does so when
 * the response ends, and shows `res.err` in it): the request went through its
 * middleware, is not a quiet one, and the response has not ended yet.
 * Body parsers and the other middleware registered in createApp run before
 * it, so requests they refuse have no pino-http line.
 */
export function requestLineFollows(req: IncomingMessage, res: ServerResponse): boolean {
  return (
    (req.log as IncomingMessage['log'] | undefined) !== undefined &&
    !isQuietRequest(req) &&
    !res.writableEnded
  );
}

const bodyLogger = new Logger('BodyParsing');
const urlLogger = new Logger('UrlGuard');
const refused = new WeakSet<IncomingMessage>();

/**
 * One `warn` line for a request whose body was refused before it reached
 * pino-http (see requestLineFollows), written when the answer has been sent:
 * request id, method, masked URL (the req serializer), status, and why, as
 * body-parser names it (`entity.too.large`, `entity.parse.failed`) or as our
 * own guard does (`body.nul.character`, `body.too.deep`). Never the body, nor
 * the parser's message: a JSON syntax error quotes the body.
 */
export function logRefusedBody(req: IncomingMessage, res: ServerResponse, type: string): void {
  logRefused(req, res, type, (why) =>
    bodyLogger.warn({ req, res, bodyRefused: why }, 'Request body refused'),
  );
}

/**
 * The same for an address refused before any route reads it (`url.nul.character`,
 * `url.not.utf`, `url.bad.escape`): the URL as the req serializer masks it
 * (no query string), never the refused text itself.
 */
export function logRefusedUrl(req: IncomingMessage, res: ServerResponse, why: string): void {
  logRefused(req, res, why, (reason) =>
    urlLogger.warn({ req, res, urlRefused: reason }, 'Request address refused'),
  );
}

function logRefused(
  req: IncomingMessage,
  res: ServerResponse,
  reason: string,
  write: (reason: string) => void,
): void {
  if (refused.has(req)) return;
  refused.add(req);
  assignRequestId(req, res);
  const named = /^[a-z]+(\.[a-z]+)*$/.test(reason) ? reason : 'unknown';
  const once = (): void => {
    res.off('finish', once);
    res.off('close', once);
    write(named);
  };
  res.on('finish', once);
  res.on('close', once);
}
