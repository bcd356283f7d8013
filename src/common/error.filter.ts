import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Injectable,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { assignRequestId, requestLineFollows } from '../logging/request-log';
import { Pages } from '../views/pages';
import { ViewRenderer } from '../views/view-renderer';
import { PageError, SeeOther } from '../web/page';
import { DomainError, ErrorCode, FieldProblem, HTTP_STATUS_BY_CODE } from './domain-error';

/** The one error body every JSON route returns. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  fields?: readonly FieldProblem[];
  requestId?: string;
}

interface Described {
  status: number;
  code: ErrorCode | string;
  message: string;
  fields: readonly FieldProblem[];
  retryAfter?: number;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.NotSignedIn,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: 'method_not_allowed',
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: 'unsupported_media_type',
  429: ErrorCode.TooManyAttempts,
  503: ErrorCode.Unavailable,
};

/** Errors of the pg driver and pool that mean "the database is not reachable right now". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

/**
 * Every error leaves through here: JSON routes get an ErrorBody, pages get an
 * error page (or a redirect to sign in). Unexpected errors are logged with
 * the request id and shown only as "something went wrong" with that id.
 */
@Catch()
@Injectable()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  constructor(
    private readonly views: ViewRenderer,
    private readonly pages: Pages,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof SeeOther) {
      res.redirect(303, error.url);
      return;
    }
    const described = describe(error);
    if (described.status >= 500) logFailure(this.logger, error, described.status, req, res);
    const requestId = typeof req.id === 'string' ? req.id : undefined;
    if (res.headersSent) return;

    if (described.retryAfter) res.setHeader('Retry-After', String(described.retryAfter));

    if (!wantsHtml(req)) {
      const body: ErrorBody = {
        statusCode: described.status,
        code: described.code,
        message: described.message,
        ...(described.fields.length > 0 ? { fields: described.fields } : {}),
        requestId,
      };
      res.status(described.status).json(body);
      return;
    }
    if (
      described.code === String(ErrorCode.CsrfRejected) &&
      req.method === 'POST' &&
      fromThisSite(req)
    ) {
      const html = this.pages.render(
        req,
        'send-again',
        sendAgainModel(req),
        req.patient ? 'intake' : 'main',
      );
      res.status(described.status).type('html').send(html);
      return;
    }
    if (error instanceof PageError) {
      const { template, layout } = error.view;
      const html = this.pages.render(req, template, error.model, layout);
      res.status(described.status).type('html').send(html);
      return;
    }
    if (described.code === String(ErrorCode.NotSignedIn)) {
      res.redirect(303, '/sign-in');
      return;
    }
    const html = this.views.render('error', {
      title: titleFor(described),
      patientFacing: described.code === String(ErrorCode.LinkRequired) || Boolean(req.patient),
      status: described.status,
      message: described.message,
      requestId,
      actor: req.actor,
    });
    res.status(described.status).type('html').send(html);
  }
}

/**
 * One line per failed request, with the error's type, message and stack (see
 * serializeError for what it leaves out). Normally that is the request's own
 * pino-http line, written when the response ends with the request id,
 * method, URL and status: it shows `res.err`, so the error goes there rather
 * than in a second line. When no such line will come (a probe, or a request
 * that failed before pino-http's middleware), an unexpected error is logged
 * here with the same fields; a 503 (database unreachable) is then left to the
 * readiness check.
 */
function logFailure(
  logger: Logger,
  error: unknown,
  status: number,
  req: Request,
  res: Response,
): void {
  if (requestLineFollows(req, res)) {
    res.err = error as Error;
    return;
  }
  if (status === 503) return;
  // Within pino-http's middleware the logger already carries `req`; before it, the
  // request has no id yet either (the answer quotes the one given here).
  const beforeHttpLogger = (req.log as Request['log'] | undefined) === undefined;
  if (beforeHttpLogger) assignRequestId(req, res);
  const request = beforeHttpLogger ? { req } : {};
  logger.error({ err: error, ...request, res: { statusCode: status } }, 'Request failed');
}

function describe(error: unknown): Described {
  if (error instanceof DomainError) {
    return {
      status: HTTP_STATUS_BY_CODE[error.code],
      code: error.code,
      message: error.message,
      fields: error.fields,
      retryAfter: error.retryAfter,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      status,
      code: CODE_BY_STATUS[status] ?? 'error',
      message: status === 404 ? 'There is no page at this address.' : plainMessage(error),
      fields: [],
    };
  }
  if (isDatabaseUnreachable(error)) {
    return {
      status: 503,
      code: ErrorCode.Unavailable,
      message:
        'The service cannot reach its database right now. Nothing was saved; try again shortly.',
      fields: [],
      retryAfter: 5,
    };
  }
  return {
    status: 500,
    code: 'internal_error',
    message:
      'Something went wrong on our side. Nothing you entered was lost; try again, or quote the request id to support.',
    fields: [],
  };
}

/**
 * Whether the browser says the form was posted from one of this site's own
 * pages. Only then is a refused form offered back to send again: a form
 * posted from another site is refused outright, so that no one can place
 * their own fields one click away from being sent.
 */
function fromThisSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = req.get('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

/** Fields a refused form keeps in the page that offers to send it again; never a password. */
const NOT_KEPT = new Set(['_csrf', 'password', 'passwordConfirmation']);

/**
 * A form refused for its token (a page left open across a restart of a
 * service without SESSION_SECRET, or past a sign-out) is not lost: the page
 * that says so holds what was typed, with a fresh token, to send again.
 */
function sendAgainModel(req: Request) {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const fields = Object.entries(body).flatMap(([name, value]) =>
    NOT_KEPT.has(name)
      ? []
      : (Array.isArray(value) ? (value as unknown[]) : [value])
          .filter((item): item is string => typeof item === 'string')
          .map((item) => ({ name, value: item })),
  );
  return {
    title: 'Please send this again',
    action: req.originalUrl,
    fields,
    leftOut: Object.keys(body).some((name) => NOT_KEPT.has(name) && name !== '_csrf'),
  };
}

function titleFor(described: Described): string {
  if (described.code === String(ErrorCode.LinkRequired)) return 'Please open your link again';
  if (described.code === String(ErrorCode.Conflict)) return 'Already sent';
  return described.status === 404 ? 'Not found' : 'Something went wrong';
}

function plainMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message)
    ? message.join('; ')
    : typeof message === 'string'
      ? message
      : error.message;
}

function isDatabaseUnreachable(error: unknown): boolean {
  // Not `instanceof Error`: socket errors can come from another realm (Jest's sandbox, for one).
  if (typeof error !== 'object' || error === null) return false;
  const withCode = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    driverError?: { code?: unknown };
  };
  const code = withCode.driverError?.code ?? withCode.code;
  return (
    (typeof code === 'string' && UNREACHABLE_CODES.has(code)) ||
    (typeof withCode.message === 'string' && UNREACHABLE_MESSAGES.test(withCode.message)) ||
    // TypeORM releases a transaction's connection when the server drops it;
    // the transaction's next statement then fails with this.
    withCode.name === 'QueryRunnerAlreadyReleasedError'
  );
}

function wantsHtml(req: Request): boolean {
  const path = req.path;
  if (/^\/(api|health|cds-services)\//.test(path)) return false;
  return req.accepts(['html', 'json']) === 'html';
}
