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

const THROTTLE_WINDOW_MS = 15 * 60_000;
/** An address may fail more often than one account: several staff may share a clinic's network. */
const IP_FAILURE_FACTOR = 3;
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
  ) {}

  /**
   * Checks the password and opens a new session. A wrong password, an
   * unknown email, a deactivated account and an invited user who has not
   * chosen a password yet get the same answer, in about the same time. Any
   * session the browser already had is ended (rotation).
   */
  async signIn(
    email: string,
    password: string,
    previousToken: string | undefined,
    meta: RequestMeta,
  ): Promise<{ token: string }> {
    const normalised = email.trim().toLowerCase();
    await this.refuseWhenThrottled(normalised, meta);

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
    return { token };
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

  private async refuseWhenThrottled(email: string, meta: RequestMeta): Promise<void> {
    const max = this.config.signInMaxFailures;
    const failures = await this.audit.recentSignInFailures(email, meta.ip, THROTTLE_WINDOW_MS);
    if (failures.forEmail < max && failures.forIp < max * IP_FAILURE_FACTOR) return;
    await this.audit.record({
      clinicId: null,
      actorType: 'anonymous',
      actorId: null,
      action: 'auth.sign_in_throttled',
      outcome: 'denied',
      ...meta,
      detail: { email },
    });
    throw new DomainError(
      ErrorCode.TooManyAttempts,
      'Too many failed sign-ins. Wait 15 minutes, then try again.',
      [],
      THROTTLE_WINDOW_MS / 1000,
    );
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
