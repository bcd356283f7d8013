import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { ApiKeyScope } from '../api-keys/api-key-scopes';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { UserRole } from '../users/user.entity';
import { AUTH_METADATA, requestMeta } from './actor';
import { ApiCallLog } from './api-call-log';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AuthService } from './auth.service';
import { Cookies } from './cookies';

/**
 * Global guard: resolves the caller on every request, then requires one
 * unless the route is @Public(), and checks @Roles().
 *
 * A request with `Authorization: Bearer hk_…` to a route that is not
 * public is an API client: the key alone decides (cookies are not read), it
 * must be valid (401) and within its rate (429), and the route must be open
 * to keys with a scope the key has (@ApiKeyScopeNeeded) and be no role's
 * (@Roles); 403 otherwise. Otherwise the session cookie is resolved to a
 * signed-in clinician or admin.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly cookies: Cookies,
    private readonly keys: ApiKeyAuthenticator,
    private readonly calls: ApiCallLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(AUTH_METADATA.IS_PUBLIC, targets);
    // A public route needs no one: a key there is ignored (and so is no reason to skip CSRF).
    const key = isPublic ? undefined : apiKeyOf(req);
    if (key !== undefined) {
      req.apiClient = await this.keys.authenticate(key, requestMeta(req));
      this.calls.recordWhenDone(req.apiClient, req, context.switchToHttp().getResponse<Response>());
      const needed = this.reflector.get<ApiKeyScope | undefined>(
        AUTH_METADATA.API_KEY_SCOPE,
        context.getHandler(),
      );
      // A role's work (an admin's) is never a key's, whatever its scopes.
      const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(
        AUTH_METADATA.ROLES,
        targets,
      );
      if (!needed || roles) {
        throw new DomainError(ErrorCode.Forbidden, 'This operation is not open to API keys.');
      }
      if (!req.apiClient.scopes.includes(needed)) {
        throw new DomainError(
          ErrorCode.Forbidden,
          `This API key does not have the scope ${needed}, which this operation needs.`,
        );
      }
      return true;
    }
    const token = (req.cookies as Record<string, unknown> | undefined)?.[this.cookies.session];
    if (typeof token === 'string' && token) {
      const resolved = await this.auth.resolve(token);
      if (resolved && 'actor' in resolved) req.actor = resolved.actor;
      else if (resolved) req.pendingSignIn = resolved.pending;
      else {
        context
          .switchToHttp()
          .getResponse<Response>()
          .clearCookie(this.cookies.session, this.cookies.options());
      }
    }

    if (isPublic) return true;
    if (!req.actor) throw new DomainError(ErrorCode.NotSignedIn, 'Sign in to continue.');

    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(
      AUTH_METADATA.ROLES,
      targets,
    );
    if (roles && !roles.includes(req.actor.role)) {
      throw new DomainError(ErrorCode.Forbidden, 'Your role does not allow this.');
    }
    return true;
  }
}

/**
 * The key of `Authorization: Bearer hk_…`, or undefined. Any other
 * Authorization (a proxy's basic auth, an SSO proxy's own bearer token) is
 * not this service's and is left alone: the session cookie decides then.
 */
function apiKeyOf(req: Request): string | undefined {
  const header = req.header('authorization');
  return header ? /^Bearer\s+(hk_\S*)\s*$/i.exec(header)?.[1] : undefined;
}
