import { CanActivate, ExecutionContext, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Cookies } from '../auth/cookies';
import { DomainError, ErrorCode } from '../common/domain-error';
import { PatientSessionService } from './patient-session.service';

/**
 * Resolves the patient's intake cookie before the guards run, so the CSRF
 * guard can check tokens bound to the patient's session.
 */
@Injectable()
export class PatientSessionMiddleware implements NestMiddleware {
  constructor(
    private readonly sessions: PatientSessionService,
    private readonly cookies: Cookies,
  ) {}

  /**
   * A failure here (the database unreachable, say) is thrown, not passed to
   * `next`: Nest then hands it to the error filter like any route's error
   * (503 with Retry-After), where `next(error)` would reach Express's bare 500.
   */
  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const token = (req.cookies as Record<string, unknown> | undefined)?.[this.cookies.intake];
    if (typeof token === 'string' && token) {
      req.patient = await this.sessions.resolve(token);
      if (!req.patient) res.clearCookie(this.cookies.intake, this.cookies.options());
    }
    next();
  }
}

/** The route belongs to a patient who opened their link. */
@Injectable()
export class PatientGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.switchToHttp().getRequest<Request>().patient) return true;
    throw new DomainError(
      ErrorCode.LinkRequired,
      'Your session has ended. Open the link from your clinic again to carry on: your answers are saved.',
    );
  }
}
