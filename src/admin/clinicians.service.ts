import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { MfaService } from '../auth/mfa.service';
import { AuditAction } from '../audit/audit-actions';
import { AuditOutcome } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { hashToken, newToken } from '../common/tokens';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UserEntity } from '../users/user.entity';
import { UserRepository } from '../users/user.repository';
import { ClinicianSessionRepository } from './clinician-sessions.repository';
import {
  ClinicianInviteDto,
  ClinicianLinkDto,
  ClinicianResponseDto,
  clinicianStatus,
  mapClinician,
} from './clinician.dto';

const EMAIL_TAKEN = 'Someone already has an account with this email address.';
/** A password reset link works for a day. */
const PASSWORD_RESET_MS = 24 * 3_600_000;

/**
 * The clinic's users, for its admins: invite with a one-time "set your
 * password" link (a 256-bit token stored only as its SHA-256), re-issue that
 * link until the user joins, deactivate (ending every session) and reactivate.
 * Each action is audited, in the same transaction as its change.
 */
@Injectable()
export class CliniciansService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UserRepository,
    private readonly sessions: ClinicianSessionRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly mfa: MfaService,
  ) {}

  async list(scope: ClinicScope, meta: RequestMeta): Promise<ClinicianResponseDto[]> {
    const users = await this.users.listForClinic(scope);
    await this.record(scope, meta, 'user.list', undefined, 'success', { count: users.length });
    const now = this.clock.now();
    return users.map((user) => mapClinician(user, now));
  }

  /** Names of the clinic's users, to show who acted in the audit log (not audited itself). */
  async names(scope: ClinicScope): Promise<{ id: string; displayName: string }[]> {
    return (await this.users.listForClinic(scope)).map(({ id, displayName }) => ({
      id,
      displayName,
    }));
  }

  async invite(
    scope: ClinicScope,
    dto: ClinicianInviteDto,
    meta: RequestMeta,
  ): Promise<ClinicianLinkDto> {
    const token = newToken();
    const expiresAt = this.expiry();
    let user: UserEntity;
    try {
      user = await this.dataSource.transaction(async (manager) => {
        const created = await this.users.createInvited(
          scope,
          {
            email: dto.email,
            displayName: dto.displayName,
            role: dto.role,
            invitationTokenHash: hashToken(token),
            invitationExpiresAt: expiresAt,
          },
          manager,
        );
        await this.record(
          scope,
          meta,
          'user.invite',
          created.id,
          'success',
          {
            role: dto.role,
          },
          manager,
        );
        return created;
      });
    } catch (error) {
      if (!isUniqueViolation(error, 'users_email_key')) throw error;
      await this.record(scope, meta, 'user.invite', undefined, 'failure', {
        reason: 'email_taken',
      });
      throw new DomainError(ErrorCode.Conflict, EMAIL_TAKEN, [
        { field: 'email', message: EMAIL_TAKEN },
      ]);
    }
    return this.linkFor(user, token, expiresAt);
  }

  /** A new link for a user who has not joined yet; the previous link stops working. */
  async reissue(scope: ClinicScope, id: string, meta: RequestMeta): Promise<ClinicianLinkDto> {
    const user = await this.found(scope, id);
    const status = clinicianStatus(user);
    if (status !== 'invited') {
      await this.record(scope, meta, 'user.invite_reissue', id, 'denied', { status });
      throw new DomainError(
        ErrorCode.Conflict,
        status === 'active'
          ? `${user.displayName} has already joined and signs in with their own password.`
          : `${user.displayName} is deactivated. Reactivate them first.`,
      );
    }
    const token = newToken();
    const changes = { tokenHash: hashToken(token), expiresAt: this.expiry() };
    const replaced = await this.dataSource.transaction(async (manager) => {
      if (!(await this.users.replaceInvitation(scope, id, changes, manager))) return false;
      await this.record(scope, meta, 'user.invite_reissue', id, 'success', {}, manager);
      return true;
    });
    if (!replaced) {
      throw new DomainError(ErrorCode.Conflict, `${user.displayName} has joined meanwhile.`);
    }
    return this.linkFor(
      { ...user, invitationTokenHash: changes.tokenHash, invitationExpiresAt: changes.expiresAt },
      token,
      changes.expiresAt,
    );
  }

  /** Blocks sign-in and ends every session of the user at once. An admin cannot lock themselves out. */
  async deactivate(scope: ClinicScope, id: string, meta: RequestMeta): Promise<void> {
    const user = await this.found(scope, id);
    if (user.id === scope.userId) {
      await this.record(scope, meta, 'user.deactivate', id, 'denied', { reason: 'self' });
      throw new DomainError(
        ErrorCode.Conflict,
        'You cannot deactivate your own account. Ask another admin of your clinic.',
      );
    }
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await this.users.setDeactivatedAt(scope, id, user.deactivatedAt ?? now, manager);
      const ended = await this.sessions.endAllFor(scope, id, manager);
      await this.record(
        scope,
        meta,
        'user.deactivate',
        id,
        'success',
        {
          sessionsEnded: ended,
        },
        manager,
      );
    });
  }

  async reactivate(scope: ClinicScope, id: string, meta: RequestMeta): Promise<void> {
    await this.found(scope, id);
    await this.dataSource.transaction(async (manager) => {
      await this.users.setDeactivatedAt(scope, id, null, manager);
      await this.record(scope, meta, 'user.reactivate', id, 'success', {}, manager);
    });
  }

  /**
   * A clinician who lost their phone: their second factor and recovery codes
   * are cleared and they are signed out everywhere; the next sign-in sets up
   * a new one (when the clinic requires it) after the password.
   */
  async resetMfa(scope: ClinicScope, id: string, meta: RequestMeta): Promise<void> {
    await this.found(scope, id);
    await this.refuseSelf(scope, id, meta, 'auth.mfa_reset');
    await this.mfa.reset(scope, id, meta);
  }

  /**
   * A one-time link for an active clinician to choose a new password,
   * working for a day. It replaces the password only; the second factor
   * still applies at sign-in.
   */
  async issuePasswordReset(
    scope: ClinicScope,
    id: string,
    meta: RequestMeta,
  ): Promise<ClinicianLinkDto> {
    const user = await this.found(scope, id);
    await this.refuseSelf(scope, id, meta, 'auth.password_reset_issued');
    const status = clinicianStatus(user);
    if (status !== 'active') {
      await this.record(scope, meta, 'auth.password_reset_issued', id, 'denied', { status });
      throw new DomainError(
        ErrorCode.Conflict,
        status === 'invited'
          ? `${user.displayName} has not chosen a password yet: give them a new welcome link.`
          : `${user.displayName} is deactivated. Reactivate them first.`,
      );
    }
    const token = newToken();
    const expiresAt = new Date(this.clock.now().getTime() + PASSWORD_RESET_MS);
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(UserEntity)
        .update(
          { id, clinicId: scope.clinicId },
          { passwordResetTokenHash: hashToken(token), passwordResetExpiresAt: expiresAt },
        );
      await this.record(scope, meta, 'auth.password_reset_issued', id, 'success', {}, manager);
    });
    return {
      clinician: mapClinician(user, this.clock.now()),
      link: `${this.config.publicUrl}/password-reset/${token}`,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** An admin changes their own password and second factor on their own account page, with their password. */
  private async refuseSelf(
    scope: ClinicScope,
    id: string,
    meta: RequestMeta,
    action: AuditAction,
  ): Promise<void> {
    if (id !== scope.userId) return;
    await this.record(scope, meta, action, id, 'denied', { reason: 'self' });
    throw new DomainError(
      ErrorCode.Conflict,
      'For your own account, use "Sign-in and security" (your name at the top of the page).',
    );
  }

  /**
   * The clinic's user, or 404 for an unknown id or another clinic's
   * (recorded by DeniedAccessInterceptor on the routes that name the user).
   */
  private async found(scope: ClinicScope, id: string): Promise<UserEntity> {
    const user = await this.users.findById(scope, id);
    if (!user) throw DomainError.notFound('The user');
    return user;
  }

  private expiry(): Date {
    return new Date(this.clock.now().getTime() + this.config.invitationTtlDays * 86_400_000);
  }

  private linkFor(user: UserEntity, token: string, expiresAt: Date): ClinicianLinkDto {
    return {
      clinician: mapClinician(user, this.clock.now()),
      link: `${this.config.publicUrl}/welcome/${token}`,
      expiresAt: expiresAt.toISOString(),
    };
  }

  private record(
    scope: ClinicScope,
    meta: RequestMeta,
    action: AuditAction,
    targetId: string | undefined,
    outcome: AuditOutcome,
    detail: Record<string, string | number>,
    manager?: EntityManager,
  ): Promise<void> {
    return this.audit.recordByUser(
      scope,
      meta,
      { action, targetType: 'user', targetId, outcome, detail },
      manager,
    );
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: unknown; constraint?: unknown };
  return driver.code === '23505' && driver.constraint === constraint;
}
