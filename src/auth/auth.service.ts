import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { hashToken, newToken } from '../common/tokens';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UserEntity } from '../users/user.entity';
import { UserRepository } from '../users/user.repository';
import { serverTimeZone } from '../common/clinic-time';
import { ClinicianActor, RequestMeta } from './actor';
import { PasswordHasher } from './password-hasher';
import { SessionRepository } from './session.repository';
import { SignInThrottle, ThrottleReason } from './sign-in-throttle';

/**
 * last_seen_at is written at most once per this share of the idle timeout
 * (and at least once a minute), not on every request: a session then ends
 * at most 5% of the timeout early, whatever its length.
 */
const TOUCH_SHARE = 20;
const TOUCH_AT_MOST_EVERY_MS = 60_000;

export const SIGN_IN_FAILED = 'The email or password is not right.';

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly throttle: SignInThrottle,
  ) {}

  /**
   * Checks the password and opens a new session. A wrong password, an
   * unknown email, a deactivated account and an invited user who has not
   * chosen a password yet get the same answer, in about the same time. Any
   * session the browser already had is ended (rotation). Attempts are
   * limited before the password is checked (see SignInThrottle); `device` is
   * the browser's known-device cookie, and a new one comes back on success.
   */
  async signIn(
    email: string,
    password: string,
    previousToken: string | undefined,
    meta: RequestMeta,
    device?: string,
  ): Promise<{ token: string; device: string }> {
    const normalised = email.trim().toLowerCase();
    const reservation = await this.throttle.reserve(normalised, meta.ip, device);
    if (!reservation.allowed)
      return this.refuseThrottled(
        normalised,
        meta,
        reservation.reason,
        reservation.retryAfterSeconds,
      );

    const user = await this.users.findForSignIn(normalised);
    // An invited user without a password yet is checked against the decoy too: same answer, same time.
    const passwordOk = await this.hasher.verify(user?.passwordHash ?? undefined, password);
    if (!user || !user.passwordHash || !passwordOk || user.deactivatedAt) {
      await this.audit.record({
        clinicId: user?.clinicId ?? null,
        actorType: 'anonymous',
        actorId: null,
        action: 'auth.sign_in',
        outcome: 'failure',
        ...meta,
        detail: { email: normalised },
      });
      throw new DomainError(ErrorCode.NotSignedIn, SIGN_IN_FAILED);
    }

    const token = newToken();
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      if (previousToken) await this.sessions.deleteByTokenHash(hashToken(previousToken), manager);
      await this.sessions.create(
        {
          tokenHash: hashToken(token),
          kind: 'clinician',
          clinicId: user.clinicId,
          userId: user.id,
          invitationId: null,
          createdAt: now,
          lastSeenAt: now,
          expiresAt: new Date(now.getTime() + this.config.sessionAbsoluteHours * 3_600_000),
        },
        manager,
      );
      await this.users.markSignedIn(user.id, now, manager);
      await this.audit.record(
        {
          clinicId: user.clinicId,
          actorType: 'user',
          actorId: user.id,
          action: 'auth.sign_in',
          outcome: 'success',
          ...meta,
        },
        manager,
      );
    });
    await this.throttle.succeeded(reservation.keys);
    return { token, device: this.throttle.issueDevice(normalised) };
  }

  async signOut(actor: ClinicianActor, meta: RequestMeta): Promise<void> {
    await this.sessions.delete(actor.sessionId);
    await this.audit.record({
      clinicId: actor.clinicId,
      actorType: 'user',
      actorId: actor.userId,
      action: 'auth.sign_out',
      outcome: 'success',
      ...meta,
    });
  }

  /**
   * The clinician behind a session cookie, or undefined when the session is
   * unknown, idle too long, past its absolute end, or its user deactivated.
   */
  async resolve(token: string): Promise<ClinicianActor | undefined> {
    const found = await this.sessions.findClinicianSession(hashToken(token));
    if (!found) return undefined;
    const { session, user, clinic } = found;
    const now = this.clock.now().getTime();
    const idleMs = this.config.sessionIdleMinutes * 60_000;
    const idleUntil = session.lastSeenAt.getTime() + idleMs;
    if (now >= session.expiresAt.getTime() || now >= idleUntil || user.deactivatedAt) {
      await this.sessions.delete(session.id);
      return undefined;
    }
    if (
      now - session.lastSeenAt.getTime() >=
      Math.min(idleMs / TOUCH_SHARE, TOUCH_AT_MOST_EVERY_MS)
    ) {
      await this.sessions.touch(session.id, new Date(now));
    }
    return toActor(session.id, user, clinic.timeZone ?? serverTimeZone());
  }

  private async refuseThrottled(
    email: string,
    meta: RequestMeta,
    limit: ThrottleReason,
    retryAfterSeconds: number,
  ): Promise<never> {
    await this.audit.record({
      clinicId: null,
      actorType: 'anonymous',
      actorId: null,
      action: 'auth.sign_in_throttled',
      outcome: 'denied',
      ...meta,
      detail: { email, limit },
    });
    const wait =
      retryAfterSeconds >= 90
        ? `${Math.ceil(retryAfterSeconds / 60)} minutes`
        : `${retryAfterSeconds} seconds`;
    const message =
      limit === 'account'
        ? `Too many failed sign-ins to this account from browsers it has not used before. Wait ${wait}, or sign in from a browser you have used here before.`
        : `Too many failed sign-ins. Wait ${wait}, then try again.`;
    throw new DomainError(ErrorCode.TooManyAttempts, message, [], retryAfterSeconds);
  }
}

function toActor(sessionId: string, user: UserEntity, timeZone: string): ClinicianActor {
  return {
    timeZone,
    kind: 'clinician',
    sessionId,
    userId: user.id,
    clinicId: user.clinicId,
    role: user.role,
    displayName: user.displayName,
    email: user.email,
  };
}
