import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan, Not } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { PasswordHasher } from '../auth/password-hasher';
import { PasswordPolicy } from '../auth/password-policy';
import { DomainError, ErrorCode } from '../common/domain-error';
import { SessionEntity } from '../auth/session.entity';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { hashToken } from '../common/tokens';
import { UserEntity } from '../users/user.entity';
import { WelcomeLink, WelcomeLinkProblem } from './welcome.service';

/** Link tokens are 32 random bytes in base64url: anything else names no link. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * An admin-issued one-time link that replaces a clinician's forgotten
 * password. It sets the password only: the second factor stays as it was,
 * so the next sign-in still asks for the code. Using it ends every session
 * of the user. The token is stored only as its SHA-256, and a link works once
 * (one conditional update).
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  async open(token: string): Promise<WelcomeLink> {
    const found = await this.lookUp(token);
    return found.ok
      ? { ok: true, displayName: found.user.displayName, email: found.user.email }
      : { ok: false, problem: found.problem };
  }

  async reset(token: string, password: string, meta: RequestMeta): Promise<WelcomeLink> {
    const found = await this.lookUp(token);
    if (!found.ok) {
      await this.record(found.user, meta, 'failure', found.problem);
      return { ok: false, problem: found.problem };
    }
    const { user } = found;
    const weak = this.policy.check(password, user);
    if (weak) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'Choose a password that is harder to guess.',
        [weak],
      );
    }
    const passwordHash = await this.hasher.hash(password);
    const done = await this.dataSource.transaction(async (manager) => {
      const changed = await manager.getRepository(UserEntity).update(
        {
          id: user.id,
          passwordResetTokenHash: hashToken(token),
          passwordResetExpiresAt: MoreThan(this.clock.now()),
          passwordHash: Not(IsNull()),
          deactivatedAt: IsNull(),
        },
        { passwordHash, passwordResetTokenHash: null, passwordResetExpiresAt: null },
      );
      if (changed.affected !== 1) return false;
      const ended = await manager
        .getRepository(SessionEntity)
        .delete({ userId: user.id, clinicId: user.clinicId });
      await this.record(user, meta, 'success', undefined, ended.affected ?? 0, manager);
      return true;
    });
    if (!done) {
      await this.record(user, meta, 'failure', 'unknown');
      return { ok: false, problem: 'unknown' };
    }
    return { ok: true, displayName: user.displayName, email: user.email };
  }

  private async lookUp(
    token: string,
  ): Promise<
    { ok: true; user: UserEntity } | { ok: false; problem: WelcomeLinkProblem; user?: UserEntity }
  > {
    if (!TOKEN_SHAPE.test(token)) return { ok: false, problem: 'unknown' };
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOneBy({ passwordResetTokenHash: hashToken(token) });
    if (!user?.passwordResetExpiresAt) return { ok: false, problem: 'unknown' };
    if (user.deactivatedAt) return { ok: false, problem: 'deactivated', user };
    if (user.passwordResetExpiresAt.getTime() <= this.clock.now().getTime())
      return { ok: false, problem: 'expired', user };
    return { ok: true, user };
  }

  private record(
    user: UserEntity | undefined,
    meta: RequestMeta,
    outcome: 'success' | 'failure',
    reason?: WelcomeLinkProblem,
    sessionsEnded?: number,
    manager?: Parameters<AuditService['record']>[1],
  ): Promise<void> {
    return this.audit.record(
      {
        clinicId: user?.clinicId ?? null,
        actorType: outcome === 'success' ? 'user' : 'anonymous',
        actorId: outcome === 'success' ? (user?.id ?? null) : null,
        action: 'auth.password_reset',
        targetType: user ? 'user' : undefined,
        targetId: user?.id,
        outcome,
        ...meta,
        detail: reason ? { reason } : { sessionsEnded: sessionsEnded ?? 0 },
      },
      manager,
    );
  }
}
