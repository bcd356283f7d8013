import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { ClinicEntity } from './clinic.entity';
import { ClinicSettingsDto } from './clinic-settings.dto';

/** The clinic's own settings, for its admins. */
@Injectable()
export class ClinicsService {
  constructor(
    @InjectRepository(ClinicEntity) private readonly clinics: Repository<ClinicEntity>,
    private readonly audit: AuditService,
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
  async setMfaRequired(scope: ClinicScope, required: boolean, meta: RequestMeta): Promise<void> {
    await this.clinics.manager.transaction(async (manager) => {
      await manager
        .getRepository(ClinicEntity)
        .update({ id: scope.clinicId }, { mfaRequired: required });
      await this.audit.recordByUser(
        scope,
        meta,
        {
          action: 'clinic.mfa_required',
          targetType: 'clinic',
          targetId: scope.clinicId,
          outcome: 'success',
          detail: { required },
        },
        manager,
      );
    });
  }

  /**
   * Whether emails to patients say the clinic's name (off by default: a
   * name such as "... Hormone Clinic" tells whoever sees the inbox).
   */
  async setNameInEmails(scope: ClinicScope, named: boolean, meta: RequestMeta): Promise<void> {
    await this.clinics.manager.transaction(async (manager) => {
      await manager
        .getRepository(ClinicEntity)
        .update({ id: scope.clinicId }, { nameInEmails: named });
      await this.audit.recordByUser(
        scope,
        meta,
        {
          action: 'clinic.name_in_emails',
          targetType: 'clinic',
          targetId: scope.clinicId,
          outcome: 'success',
          detail: { named },
        },
        manager,
      );
    });
  }
}
