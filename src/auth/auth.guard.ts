import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { UserRole } from '../users/user.entity';
import { AUTH_METADATA } from './actor';
import { AuthService } from './auth.service';
import { Cookies } from './cookies';

/**
 * Global guard: resolves the session cookie to an actor on every request,
 * then requires one unless the route is @Public(), and checks @Roles().
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly cookies: Cookies,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
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

    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(AUTH_METADATA.IS_PUBLIC, targets)) return true;
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
