import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { hashToken, newToken } from '../common/tokens';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UserEntity } from '../users/user.entity';
import { UserRepository } from '../users/user.repository';
import { serverTimeZone } from '../common/clinic-time';
import { ClinicianActor, PendingSignIn, RequestMeta } from './actor';
import { SessionStage } from './session.entity';
import { ClinicEntity } from '../clinics/clinic.entity';
import { PasswordHasher } from './password-hasher';
import { SessionRepository } from './session.repository';
import { SignInThrottle, ThrottleReason } from './sign-in-throttle';
import { MfaService, wrongCode } from './mfa.service';

/**
 * last_seen_at is written at most once per this share of the idle timeout
 * (and at least once a minute), not on every request: a session then ends
 * at most 5% of the timeout early, whatever its length.
 */
const TOUCH_SHARE = 20;
const TOUCH_AT_MOST_EVERY_MS = 60_000;

export const SIGN_IN_FAILED = 'The email or password is not right.';
/** Wrong second-step codes in a row an account may give before only an admin's reset lets it in. */
export const SECOND_STEP_FAILURE_LIMIT = 20;
/** How long a sign-in may wait for its second step. */
const SECOND_STEP_MS = 10 * 60_000;

/** What proved the second step. */
export type SecondFactor = 'totp' | 'recovery_code' | 'enrolment';

export type ResolvedSession =
  { readonly actor: ClinicianActor } | { readonly pending: PendingSignIn };

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
    private readonly mfa: MfaService,
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
  ): Promise<{ token: string; device: string | undefined; stage: SessionStage }> {
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

    const clinic = await this.dataSource.getRepository(ClinicEntity).findOneByOrFail({
      id: user.clinicId,
    });
    const stage: SessionStage = user.mfaEnrolledAt
      ? 'code'
      : clinic.mfaRequired
        ? 'enrol'
        : 'complete';
    const { token } = await this.openSession(user, stage, previousToken, meta, {
      action: stage === 'complete' ? 'auth.sign_in' : 'auth.sign_in_password',
    });
    await this.throttle.succeeded(reservation.keys);
    // A browser becomes known only once every step of sign-in is done.
    const known = stage === 'complete' ? this.throttle.issueDevice(normalised, device) : undefined;
    return { token, device: known, stage };
  }

  /**
   * The second step done (a code, a recovery code, or a factor just set up):
   * the waiting session is replaced by a complete one, with a new token.
   */
  async completeSignIn(
    pending: PendingSignIn,
    factor: SecondFactor,
    meta: RequestMeta,
    device: string | undefined,
  ): Promise<{ token: string; sessionId: string; device: string }> {
    const user = await this.dataSource.getRepository(UserEntity).findOneByOrFail({
      id: pending.userId,
      clinicId: pending.clinicId,
    });
    const opened = await this.openSession(user, 'complete', undefined, meta, {
      action: 'auth.sign_in',
      detail: { factor },
      replacing: pending.sessionId,
    });
    return { ...opened, device: this.throttle.issueDevice(pending.email, device) };
  }

  /**
   * Asks a signed-in clinician for their password again before a change of
   * factor. Limited as sign-in is; a wrong one is refused at the field.
   */
  async confirmPassword(
    actor: ClinicianActor,
    password: string,
    meta: RequestMeta,
    device: string | undefined,
  ): Promise<void> {
    const reservation = await this.throttle.reserve(actor.email, meta.ip, device);
    if (!reservation.allowed)
      return this.refuseThrottled(
        actor.email,
        meta,
        reservation.reason,
        reservation.retryAfterSeconds,
      );
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOneByOrFail({ id: actor.userId, clinicId: actor.clinicId });
    const ok = await this.hasher.verify(user.passwordHash ?? undefined, password);
    await this.audit.record({
      clinicId: actor.clinicId,
      actorType: 'user',
      actorId: actor.userId,
      action: 'auth.password_confirm',
      outcome: ok ? 'success' : 'failure',
      ...meta,
    });
    if (!ok)
      throw new DomainError(ErrorCode.ValidationFailed, 'The password is not right.', [
        { field: 'password', message: 'That is not your password. Type the one you sign in with.' },
      ]);
    await this.throttle.succeeded(reservation.keys);
  }

  /**
   * The second step of sign-in: a code from the authenticator or a recovery
   * code, five tries per window for the account. Right: the complete
   * session's token. Wrong: refused at the field, and audited.
   */
  async secondStep(
    pending: PendingSignIn,
    code: string,
    meta: RequestMeta,
    device: string | undefined,
  ): Promise<{ token: string; sessionId: string; device: string }> {
    const event = {
      clinicId: pending.clinicId,
      actorType: 'user' as const,
      actorId: pending.userId,
      action: 'auth.mfa_verify' as const,
      ...meta,
    };
    const refuse = async (reason: string, message: string, retryAfter?: number) => {
      await this.audit.record({ ...event, outcome: 'denied', detail: { reason } });
      return new DomainError(ErrorCode.TooManyAttempts, message, [], retryAfter);
    };
    // However often the password is given again, the account's wrong codes add up until a
    // right one: past the limit only an admin's reset lets it in (the password is known to
    // whoever is guessing).
    if ((await this.mfa.failures(pending.userId)) >= SECOND_STEP_FAILURE_LIMIT) {
      throw await refuse(
        'account_locked',
        'Too many wrong codes for this account. Ask an admin of your clinic to reset your two-step sign-in.',
      );
    }
    const reservation = await this.throttle.reserveSecondStep(pending.sessionId);
    if (!reservation.allowed) {
      throw await refuse(
        'session',
        'Too many wrong codes. Sign in again with your password.',
        reservation.retryAfterSeconds,
      );
    }
    const factor = await this.mfa.verify(pending.userId, code);
    if (!factor) {
      await this.audit.record({ ...event, outcome: 'failure' });
      throw wrongCode('That code is not right.');
    }
    return this.completeSignIn(pending, factor, meta, device);
  }

  /** Ends a sign-in that waits for its second step ("Cancel"). */
  async abandonSignIn(pending: PendingSignIn): Promise<void> {
    await this.sessions.delete(pending.sessionId);
  }

  /**
   * Opens a session at `stage` for a user whose password (and, for a
   * complete one, second factor) is right, ending the browser's previous
   * session, in one transaction with its audit event. A session waiting for
   * its second step lasts ten minutes and opens nothing else.
   */
  private async openSession(
    user: UserEntity,
    stage: SessionStage,
    previousToken: string | undefined,
    meta: RequestMeta,
    event: { action: AuditAction; detail?: Record<string, string>; replacing?: string },
  ): Promise<{ token: string; sessionId: string }> {
    const token = newToken();
    const now = this.clock.now();
    const lifetimeMs =
      stage === 'complete' ? this.config.sessionAbsoluteHours * 3_600_000 : SECOND_STEP_MS;
    const sessionId = await this.dataSource.transaction(async (manager) => {
      if (previousToken) await this.sessions.deleteByTokenHash(hashToken(previousToken), manager);
      if (event.replacing) {
        // The waiting session must still be there, and its user active: a reset, a
        // deactivation or another tab's sign-in meanwhile ended it, and this one with it.
        const [, waited] = await manager.query<[unknown[], number]>(
          `DELETE FROM sessions WHERE id = $1 AND stage <> 'complete'`,
          [event.replacing],
        );
        const active = await manager.getRepository(UserEntity).exists({
          where: { id: user.id, deactivatedAt: IsNull() },
          lock: { mode: 'pessimistic_read' },
        });
        if (waited !== 1 || !active) throw new DomainError(ErrorCode.NotSignedIn, 'Sign in again.');
      }
      const session = await this.sessions.create(
        {
          tokenHash: hashToken(token),
          kind: 'clinician',
          stage,
          clinicId: user.clinicId,
          userId: user.id,
          invitationId: null,
          createdAt: now,
          lastSeenAt: now,
          expiresAt: new Date(now.getTime() + lifetimeMs),
        },
        manager,
      );
      if (stage === 'complete') await this.users.markSignedIn(user.id, now, manager);
      await this.audit.record(
        {
          clinicId: user.clinicId,
          actorType: 'user',
          actorId: user.id,
          action: event.action,
          outcome: 'success',
          ...meta,
          ...(event.detail ? { detail: event.detail } : {}),
        },
        manager,
      );
      return session.id;
    });
    return { token, sessionId };
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
   * Who is behind a session cookie: a signed-in clinician, someone half-way
   * through sign-in (`pending`: password right, second step to come), or
   * nobody when the session is unknown, idle too long, past its absolute
   * end, or its user deactivated.
   */
  async resolve(token: string): Promise<ResolvedSession | undefined> {
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
    if (session.stage !== 'complete') {
      return {
        pending: {
          sessionId: session.id,
          userId: user.id,
          clinicId: user.clinicId,
          email: user.email,
          displayName: user.displayName,
          clinicName: clinic.name,
          stage: session.stage,
        },
      };
    }
    if (
      now - session.lastSeenAt.getTime() >=
      Math.min(idleMs / TOUCH_SHARE, TOUCH_AT_MOST_EVERY_MS)
    ) {
      await this.sessions.touch(session.id, new Date(now));
    }
    return { actor: toActor(session.id, user, clinic.timeZone ?? serverTimeZone()) };
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
