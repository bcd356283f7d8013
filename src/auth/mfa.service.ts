import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
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

  /** Starts (or starts again) setting up an authenticator: a new secret, kept until confirmed. */
  async begin(userId: string): Promise<void> {
    await this.dataSource
      .getRepository(UserEntity)
      .update({ id: userId }, { mfaPendingSecret: this.box.seal(newTotpSecret()) });
  }

  /** The authenticator being set up, or undefined when none is. */
  async enrolment(userId: string): Promise<Enrolment | undefined> {
    const user = await this.user(userId);
    const secret = user.mfaPendingSecret && this.box.open(user.mfaPendingSecret);
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
    code: string,
    by: 'self' | 'sign-in',
    meta: RequestMeta,
  ): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const user = await manager
        .getRepository(UserEntity)
        .findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      const secret = user?.mfaPendingSecret && this.box.open(user.mfaPendingSecret);
      if (!user || !secret) {
        throw new DomainError(ErrorCode.Conflict, 'Start setting up the authenticator again.');
      }
      const step = matchingStep(secret, normaliseCode(code), this.clock.now(), null);
      if (step === undefined) throw wrongCode('That code does not match the new authenticator.');
      await manager.getRepository(UserEntity).update(
        { id: userId },
        {
          mfaSecret: user.mfaPendingSecret,
          mfaPendingSecret: null,
          mfaEnrolledAt: this.clock.now(),
          mfaLastStep: String(step),
        },
      );
      const codes = await this.replaceRecoveryCodes(userId, manager);
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
          detail: { during: by },
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
    const code = normaliseCode(typed);
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

  /** Ten new recovery codes, the old ones void; returned to be shown once. */
  async newRecoveryCodes(userId: string, clinicId: string, meta: RequestMeta): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const codes = await this.replaceRecoveryCodes(userId, manager);
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
      const cleared = await manager
        .getRepository(UserEntity)
        .update(
          { id: userId, clinicId: scope.clinicId },
          { mfaSecret: null, mfaEnrolledAt: null, mfaLastStep: null, mfaPendingSecret: null },
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
