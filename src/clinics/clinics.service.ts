import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { parseReminderDays } from '../invitations/reminder-schedule';
import { findDosingAdvice } from '../safety/dosing-guard';
import { ClinicEntity } from './clinic.entity';
import { ClinicSettingsDto } from './clinic-settings.dto';

/** Why emails cannot name a clinic (400 at `nameInEmails`). */
export const NAME_READS_AS_ADVICE =
  'The clinic\'s name reads as advice about medicines to the check every email to a patient passes, so emails cannot name it: they say "your clinic".';

/** The clinic's own settings, for its admins. */
@Injectable()
export class ClinicsService {
  constructor(
    @InjectRepository(ClinicEntity) private readonly clinics: Repository<ClinicEntity>,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get(scope: ClinicScope): Promise<ClinicEntity> {
    return this.clinics.findOneByOrFail({ id: scope.clinicId });
  }

  async update(scope: ClinicScope, dto: ClinicSettingsDto, meta: RequestMeta): Promise<void> {
    // Stored as the runtime names it ("europe/berlin" reads as Europe/Berlin).
    const timeZone =
      dto.timeZone === ''
        ? null
        : new Intl.DateTimeFormat('en', { timeZone: dto.timeZone }).resolvedOptions().timeZone;
    await this.clinics.update({ id: scope.clinicId }, { timeZone });
    await this.audit.recordByUser(scope, meta, {
      action: 'clinic.settings',
      targetType: 'clinic',
      targetId: scope.clinicId,
      outcome: 'success',
      detail: { timeZone: timeZone ?? 'server' },
    });
  }

  /**
   * Requires (or stops requiring) a second factor of every staff account:
   * each is asked to set one up at their next sign-in.
   */
  setMfaRequired(scope: ClinicScope, required: boolean, meta: RequestMeta): Promise<void> {
    return this.change(scope, meta, { mfaRequired: required }, 'clinic.mfa_required', {
      required,
    });
  }

  /**
   * Whether emails to patients say the clinic's name (off by default: a
   * name such as "... Hormone Clinic" tells whoever sees the inbox).
   */
  async setNameInEmails(scope: ClinicScope, named: boolean, meta: RequestMeta): Promise<void> {
    // Every email passes the dosing guard; a name it refuses could not be sent.
    if (named && findDosingAdvice((await this.get(scope)).name).length > 0) {
      throw new DomainError(ErrorCode.ValidationFailed, NAME_READS_AS_ADVICE, [
        { field: 'nameInEmails', message: NAME_READS_AS_ADVICE },
      ]);
    }
    await this.change(scope, meta, { nameInEmails: named }, 'clinic.name_in_emails', { named });
  }

  /**
   * The days after a link is emailed on which its patient is reminded, as
   * typed ("3, 7"; blank for none). Refused at the field \`reminderDays\` when
   * unreadable, more than three, or not before the link expires. Applies to
   * links emailed from now on.
   */
  async setReminderDays(scope: ClinicScope, typed: string, meta: RequestMeta): Promise<void> {
    const parsed = parseReminderDays(typed, this.config.invitationTtlDays);
    if ('problem' in parsed) {
      throw new DomainError(ErrorCode.ValidationFailed, parsed.problem, [
        { field: 'reminderDays', message: parsed.problem },
      ]);
    }
    await this.change(scope, meta, { reminderDays: parsed.days }, 'clinic.reminders', {
      days: parsed.days.join(', '),
    });
  }

  /** One setting changed and its audit event, in one transaction. */
  private async change(
    scope: ClinicScope,
    meta: RequestMeta,
    values: Partial<Pick<ClinicEntity, 'mfaRequired' | 'nameInEmails' | 'reminderDays'>>,
    action: AuditAction,
    detail: Record<string, string | boolean>,
  ): Promise<void> {
    await this.clinics.manager.transaction(async (manager) => {
      await manager.getRepository(ClinicEntity).update({ id: scope.clinicId }, values);
      await this.audit.recordByUser(
        scope,
        meta,
        { action, targetType: 'clinic', targetId: scope.clinicId, outcome: 'success', detail },
        manager,
      );
    });
  }
}
