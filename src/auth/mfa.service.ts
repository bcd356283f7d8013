import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ClinicEntity } from '../clinics/clinic.entity';
import { ClinicScope } from '../common/clinic-scope';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { UserEntity } from '../users/user.entity';
import { RequestMeta } from './actor';
import { CSRF_SECRET } from './csrf';
import { RecoveryCodeEntity } from './recovery-code.entity';
import { SecretBox } from './secret-box';
import { SessionEntity } from './session.entity';
import { base32, matchingStep, newTotpSecret, otpauthUri } from './totp';

export const RECOVERY_CODE_COUNT = 10;
/** How long a secret shown for setting up stays good. */
const PENDING_MS = 10 * 60_000;
const NOTHING_PENDING = { mfaPendingSecret: null, mfaPendingSessionId: null, mfaPendingAt: null };
/** Ten random bytes: sixteen base32 letters, shown in four groups. */
const RECOVERY_CODE_BYTES = 10;
const ISSUER = 'Lifestyle intake';

/** What an authenticator app needs to be set up: the QR code's URI and the secret to type instead. */
export interface Enrolment {
  readonly uri: string;
  /** The secret in base32, in groups of four for reading aloud or typing. */
  readonly secret: string;
}

export interface SecondFactorStatus {
  readonly enrolledAt: Date | null;
  readonly recoveryCodesLeft: number;
  readonly clinicRequires: boolean;
}

/** The field a code is typed in, for every refusal here. */
const CODE_FIELD = 'code';

/**
 * The second factor of staff sign-in: a TOTP authenticator (RFC 6238),
 * enrolled by confirming a code from a secret shown once, and ten single-use
 * recovery codes. A code is good once: the last step accepted is stored and
 * moved forward in one conditional update. Secrets are sealed with the
 * server's secret; recovery codes are stored as SHA-256 digests only.
 */
@Injectable()
export class MfaService {
  private readonly box: SecretBox;

  constructor(
    @Inject(CSRF_SECRET) secret: string,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    this.box = new SecretBox(secret, 'mfa-secret');
  }

  async status(userId: string): Promise<SecondFactorStatus> {
    const user = await this.user(userId);
    const clinic = await this.dataSource
      .getRepository(ClinicEntity)
      .findOneByOrFail({ id: user.clinicId });
    const recoveryCodesLeft = await this.dataSource
      .getRepository(RecoveryCodeEntity)
      .countBy({ userId, usedAt: IsNull() });
    return {
      enrolledAt: user.mfaEnrolledAt,
      recoveryCodesLeft,
      clinicRequires: clinic.mfaRequired,
    };
  }

  /** Wrong second-step codes in a row. */
  async failures(userId: string): Promise<number> {
    return (await this.user(userId)).mfaFailures;
  }

  /**
   * Starts (or starts again) setting up an authenticator: a new secret for
   * this session alone, for ten minutes, kept until a code confirms it.
   */
  async begin(userId: string, sessionId: string): Promise<void> {
    await this.dataSource.getRepository(UserEntity).update(
      { id: userId },
      {
        mfaPendingSecret: this.box.seal(newTotpSecret()),
        mfaPendingSessionId: sessionId,
        mfaPendingAt: this.clock.now(),
      },
    );
  }

  /** The authenticator this session is setting up, or undefined when it is setting up none. */
  async enrolment(userId: string, sessionId: string): Promise<Enrolment | undefined> {
    const user = await this.user(userId);
    const secret = this.pendingSecret(user, sessionId);
    if (!secret) return undefined;
    return {
      uri: otpauthUri(ISSUER, user.email, secret),
      secret: base32(secret).replace(/(.{4})(?=.)/g, '$1 '),
    };
  }

  /**
   * A code from the new authenticator confirms it: it becomes the user's
   * factor (replacing any earlier one), with ten new recovery codes,
   * returned here to be shown once.
   */
  async confirm(
    userId: string,
    sessionId: string,
    code: string,
    by: 'self' | 'sign-in',
    meta: RequestMeta,
  ): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const user = await manager
        .getRepository(UserEntity)
        .findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      const secret = user && this.pendingSecret(user, sessionId);
      // During sign-in, only an account without a factor sets one up: someone else who
      // had the password a moment ago cannot replace the one just set up.
      if (!user || !secret || (by === 'sign-in' && user.mfaEnrolledAt)) {
        throw new DomainError(ErrorCode.Conflict, 'Start setting up the authenticator again.');
      }
      const step = matchingStep(secret, normaliseCode(code), this.clock.now(), null);
      if (step === undefined) {
        throw new DomainError(ErrorCode.ValidationFailed, 'The code does not match.', [
          {
            field: CODE_FIELD,
            message:
              'That code does not match the new authenticator. Type the six digits the app shows now for this account.',
          },
        ]);
      }
      await manager.getRepository(UserEntity).update(
        { id: userId },
        {
          mfaSecret: user.mfaPendingSecret,
          ...NOTHING_PENDING,
          mfaEnrolledAt: this.clock.now(),
          mfaLastStep: String(step),
          mfaFailures: 0,
        },
      );
      const codes = await this.replaceRecoveryCodes(userId, manager);
      // A new factor ends every other session of the user: a stolen one does not outlive it.
      const ended = by === 'self' ? await this.endOtherSessions(userId, sessionId, manager) : 0;
      await this.audit.record(
        {
          clinicId: user.clinicId,
          actorType: 'user',
          actorId: userId,
          action: 'auth.mfa_enrol',
          targetType: 'user',
          targetId: userId,
          outcome: 'success',
          ...meta,
          detail: { during: by, sessionsEnded: ended },
        },
        manager,
      );
      return codes;
    });
  }

  /**
   * Checks a second-step code: six digits from the authenticator, or a
   * recovery code. Each is good once, even when two requests race.
   */
  async verify(userId: string, typed: string): Promise<'totp' | 'recovery_code' | undefined> {
    const factor = await this.check(userId, normaliseCode(typed));
    await this.dataSource.query(
      factor
        ? `UPDATE users SET mfa_failures = 0 WHERE id = $1`
        : `UPDATE users SET mfa_failures = mfa_failures + 1 WHERE id = $1`,
      [userId],
    );
    return factor;
  }

  private async check(userId: string, code: string): Promise<'totp' | 'recovery_code' | undefined> {
    if (/^\d{6}$/.test(code)) {
      const user = await this.user(userId);
      const secret = user.mfaSecret && this.box.open(user.mfaSecret);
      if (!secret) return undefined;
      const last = user.mfaLastStep === null ? null : Number(user.mfaLastStep);
      const step = matchingStep(secret, code, this.clock.now(), last);
      if (step === undefined) return undefined;
      // Two requests with the same code: only one moves the step forward.
      const [, moved]: [unknown[], number] = await this.dataSource.query(
        `UPDATE users SET mfa_last_step = $2 WHERE id = $1 AND (mfa_last_step IS NULL OR mfa_last_step < $2)`,
        [userId, step],
      );
      return moved === 1 ? 'totp' : undefined;
    }
    if (!/^[A-Z2-7]{16}$/.test(code)) return undefined;
    const used = await this.dataSource
      .getRepository(RecoveryCodeEntity)
      .update({ userId, codeHash: digest(code), usedAt: IsNull() }, { usedAt: this.clock.now() });
    return used.affected === 1 ? 'recovery_code' : undefined;
  }

  /** Ten new recovery codes, the old ones void, every other session ended; returned to be shown once. */
  async newRecoveryCodes(
    userId: string,
    clinicId: string,
    sessionId: string,
    meta: RequestMeta,
  ): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const codes = await this.replaceRecoveryCodes(userId, manager);
      const ended = await this.endOtherSessions(userId, sessionId, manager);
      await this.audit.record(
        {
          clinicId,
          actorType: 'user',
          actorId: userId,
          action: 'auth.recovery_codes_replaced',
          targetType: 'user',
          targetId: userId,
          outcome: 'success',
          ...meta,
          detail: { sessionsEnded: ended },
        },
        manager,
      );
      return codes;
    });
  }

  /**
   * An admin clears a staff member's second factor (a lost phone): the
   * secret and recovery codes go, and so does every session of theirs; their
   * next sign-in sets up a new one. Only within the admin's clinic.
   */
  async reset(scope: ClinicScope, userId: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const cleared = await manager.getRepository(UserEntity).update(
        { id: userId, clinicId: scope.clinicId },
        {
          mfaSecret: null,
          mfaEnrolledAt: null,
          mfaLastStep: null,
          mfaFailures: 0,
          ...NOTHING_PENDING,
        },
      );
      if (cleared.affected !== 1) throw new DomainError(ErrorCode.NotFound, 'No such clinician.');
      await manager.getRepository(RecoveryCodeEntity).delete({ userId });
      const ended = await manager
        .getRepository(SessionEntity)
        .delete({ userId, clinicId: scope.clinicId });
      await this.audit.recordByUser(
        scope,
        meta,
        {
          action: 'auth.mfa_reset',
          targetType: 'user',
          targetId: userId,
          outcome: 'success',
          detail: { sessionsEnded: ended.affected ?? 0 },
        },
        manager,
      );
    });
  }

  private async endOtherSessions(
    userId: string,
    sessionId: string,
    manager: EntityManager,
  ): Promise<number> {
    const ended = await manager.getRepository(SessionEntity).delete({ userId, id: Not(sessionId) });
    return ended.affected ?? 0;
  }

  /** The secret being set up, when `sessionId` was shown it less than ten minutes ago. */
  private pendingSecret(user: UserEntity, sessionId: string): Buffer | undefined {
    const fresh =
      user.mfaPendingAt !== null &&
      this.clock.now().getTime() - user.mfaPendingAt.getTime() < PENDING_MS;
    if (!user.mfaPendingSecret || user.mfaPendingSessionId !== sessionId || !fresh)
      return undefined;
    return this.box.open(user.mfaPendingSecret);
  }

  private async replaceRecoveryCodes(userId: string, manager: EntityManager): Promise<string[]> {
    const repository = manager.getRepository(RecoveryCodeEntity);
    await repository.delete({ userId });
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
      base32(randomBytes(RECOVERY_CODE_BYTES)),
    );
    await repository.insert(codes.map((code) => ({ userId, codeHash: digest(code) })));
    return codes.map((code) => code.replace(/(.{4})(?=.)/g, '$1-'));
  }

  private user(userId: string): Promise<UserEntity> {
    return this.dataSource.getRepository(UserEntity).findOneByOrFail({ id: userId });
  }
}

/** Spaces and dashes are for reading; recovery codes are case-blind. */
const normaliseCode = (typed: string): string => typed.replace(/[\s-]/g, '').toUpperCase();

const digest = (code: string): Buffer => createHash('sha256').update(code).digest();

export const wrongCode = (message: string): DomainError =>
  new DomainError(ErrorCode.ValidationFailed, message, [
    {
      field: CODE_FIELD,
      message: `${message} Type the six digits your authenticator app shows now, or one of your recovery codes.`,
    },
  ]);
