import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  NestMiddleware,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error';
import { newToken } from '../common/tokens';
import { Cookies } from './cookies';

export const CSRF_SECRET = Symbol('CSRF_SECRET');
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection by signed tokens (OWASP's HMAC "synchronizer" variant):
 * every browser holds a random HttpOnly binding cookie, and a form's token is
 * an HMAC of that cookie and the current session id. A page on another site
 * can neither read the cookie nor compute the token. Sign-in and sign-out
 * replace the binding cookie, so tokens never outlive a session change.
 */
@Injectable()
export class Csrf {
  constructor(
    @Inject(CSRF_SECRET) private readonly secret: string,
    private readonly cookies: Cookies,
  ) {}

  /** The token to embed in a page's forms (and send as X-CSRF-Token from scripts). */
  tokenFor(req: Request): string {
    return this.sign(this.binding(req), sessionOf(req));
  }

  verify(req: Request): boolean {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
    const given = typeof fromBody === 'string' ? fromBody : req.header(CSRF_HEADER);
    const binding = this.cookieOf(req);
    if (!given || !binding) return false;
    const expected = Buffer.from(this.sign(binding, sessionOf(req)));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Gives the browser a new binding cookie, also for the rest of this request. */
  rotate(req: Request, res: Response): void {
    const value = newToken();
    res.cookie(this.cookies.csrf, value, this.cookies.options());
    (req.cookies as Record<string, string>)[this.cookies.csrf] = value;
  }

  private binding(req: Request): string {
    const existing = this.cookieOf(req);
    if (!existing)
      throw new Error('CSRF binding cookie missing: CsrfCookieMiddleware must run first');
    return existing;
  }

  private cookieOf(req: Request): string | undefined {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[this.cookies.csrf];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  }

  private sign(binding: string, sessionId: string | undefined): string {
    return createHmac('sha256', this.secret)
      .update(`csrf|${binding}|${sessionId ?? 'anonymous'}`)
      .digest('base64url');
  }
}

/** A clinician's or a patient's session: tokens are bound to whichever the request carries. */
function sessionOf(req: Request): string | undefined {
  return req.actor?.sessionId ?? req.patient?.sessionId;
}

/** Makes sure every browser has a binding cookie before any page renders a form. */
@Injectable()
export class CsrfCookieMiddleware implements NestMiddleware {
  constructor(
    private readonly csrf: Csrf,
    private readonly cookies: Cookies,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    req.cookies ??= {};
    if (!(req.cookies as Record<string, unknown>)[this.cookies.csrf]) this.csrf.rotate(req, res);
    next();
  }
}

const TOKEN_IN_PATH = 'csrf:token-in-path';

/**
 * For a route whose only authority is a secret token in its own path, and
 * which only turns something off for its owner: a mail program's one-click
 * "unsubscribe" (RFC 8058) posts to it with no page, cookie or form token.
 * A forger would need the path's token, so a form token adds nothing.
 */
export const TokenInPathSuffices = (): MethodDecorator => SetMetadata(TOKEN_IN_PATH, true);

/** Refuses every state-changing request without a valid token; runs after the session guard. */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(
    private readonly csrf: Csrf,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(req.method)) return true;
    if (this.reflector.get<boolean>(TOKEN_IN_PATH, context.getHandler())) return true;
    // An API key in a header is no ambient credential a page elsewhere could make a browser send.
    if (req.apiClient) return true;
    if (!this.csrf.verify(req)) {
      throw new DomainError(
        ErrorCode.CsrfRejected,
        'This form has expired or did not come from this site. Reload the page and try again.',
      );
    }
    // The token has done its job; DTO validation must not see it as an unknown field.
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object') delete body[CSRF_FIELD];
    return true;
  }
}
