import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { PasswordHasher } from '../auth/password-hasher';
import { PasswordPolicy } from '../auth/password-policy';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { hashToken } from '../common/tokens';
import { UserEntity } from '../users/user.entity';
import { UserRepository } from '../users/user.repository';

/** Why a link cannot be used: unknown (or already used), past its expiry, or its user deactivated. */
export type WelcomeLinkProblem = 'unknown' | 'expired' | 'deactivated';

export type WelcomeLink =
  | { readonly ok: true; readonly displayName: string; readonly email: string }
  | { readonly ok: false; readonly problem: WelcomeLinkProblem };

/** A link's user, and whether the link can be used; the user is known for some problems too. */
type LookUp =
  | { readonly ok: true; readonly user: UserEntity }
  | { readonly ok: false; readonly problem: WelcomeLinkProblem; readonly user?: UserEntity };

/** Link tokens are 32 random bytes in base64url: anything else names no link. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * An invited user's one-time link: shows whose it is, then sets their first
 * password (argon2id) and consumes the link in one conditional update, so a
 * link works once. The token itself is never stored, logged or audited.
 */
@Injectable()
export class WelcomeService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly policy: PasswordPolicy,
  ) {}

  async open(token: string): Promise<WelcomeLink> {
    return outcomeOf(await this.lookUp(token));
  }

  /**
   * Sets the password and consumes the link; on a problem, nothing is saved.
   * A password the policy refuses (too short, too easy to guess, built on the
   * user's own name or email) is a validation error on `password`: the link
   * stays usable. It is checked only for a link that works.
   */
  async join(token: string, password: string, meta: RequestMeta): Promise<WelcomeLink> {
    const found = await this.lookUp(token);
    if (!found.ok) {
      await this.recordFailure(found.problem, found.user, meta);
      return outcomeOf(found);
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
    const joined = await this.dataSource.transaction(async (manager) => {
      const done = await this.users.completeJoining(
        user.id,
        hashToken(token),
        passwordHash,
        this.clock.now(),
        manager,
      );
      if (done) {
        await this.audit.record(
          {
            clinicId: user.clinicId,
            actorType: 'user',
            actorId: user.id,
            action: 'user.join',
            targetType: 'user',
            targetId: user.id,
            outcome: 'success',
            ...meta,
          },
          manager,
        );
      }
      return done;
    });
    if (!joined) {
      // Another submission of the same link won the race, or an admin acted meanwhile.
      await this.recordFailure('unknown', user, meta);
      return { ok: false, problem: 'unknown' };
    }
    return outcomeOf(found);
  }

  private async lookUp(token: string): Promise<LookUp> {
    if (!TOKEN_SHAPE.test(token)) return { ok: false, problem: 'unknown' };
    const user = await this.users.findByInvitationTokenHash(hashToken(token));
    if (!user?.invitationExpiresAt || user.passwordHash) return { ok: false, problem: 'unknown' };
    if (user.deactivatedAt) return { ok: false, problem: 'deactivated', user };
    if (user.invitationExpiresAt.getTime() <= this.clock.now().getTime()) {
      return { ok: false, problem: 'expired', user };
    }
    return { ok: true, user };
  }

  private recordFailure(
    problem: WelcomeLinkProblem,
    user: UserEntity | undefined,
    meta: RequestMeta,
  ): Promise<void> {
    return this.audit.record({
      clinicId: user?.clinicId ?? null,
      actorType: 'anonymous',
      actorId: null,
      action: 'user.join',
      targetType: user ? 'user' : undefined,
      targetId: user?.id,
      outcome: 'failure',
      ...meta,
      detail: { reason: problem },
    });
  }
}

function outcomeOf(found: LookUp): WelcomeLink {
  return found.ok
    ? { ok: true, displayName: found.user.displayName, email: found.user.email }
    : { ok: false, problem: found.problem };
}
