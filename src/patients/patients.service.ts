import { Injectable } from '@nestjs/common';
import { RequestMeta } from '../auth/actor';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode } from '../common/domain-error';
import {
  mapPatient,
  PatientCreateDto,
  PatientListQueryDto,
  PatientPageDto,
  PatientResponseDto,
} from './patient.dto';
import { PatientRepository } from './patient.repository';

@Injectable()
export class PatientsService {
  constructor(
    private readonly patients: PatientRepository,
    private readonly audit: AuditService,
  ) {}

  /** One page of the clinic's patients; `next` continues after its last row. */
  async list(
    scope: ClinicScope,
    query: PatientListQueryDto,
    meta: RequestMeta,
  ): Promise<PatientPageDto> {
    if (query.after && !(await this.patients.findById(scope, query.after))) {
      throw new DomainError(ErrorCode.ValidationFailed, 'The page link is no longer valid.', [
        { field: 'after', message: 'Start again from the first page.' },
      ]);
    }
    const limit = query.limit ?? 50;
    const found = await this.patients.search(scope, {
      text: query.q,
      protocol: query.protocol,
      status: query.status,
      pillar: query.pillar,
      sort: query.sort ?? 'name',
      after: query.after,
      limit: limit + 1,
    });
    const page = found.slice(0, limit);
    await this.record(scope, meta, 'patient.list', undefined, { count: page.length });
    return {
      patients: page.map(mapPatient),
      next: found.length > limit ? page[page.length - 1].id : null,
    };
  }

  async get(scope: ClinicScope, id: string, meta: RequestMeta): Promise<PatientResponseDto> {
    const patient = await this.patients.findById(scope, id);
    // Refused (not this clinic's, or none): recorded by DeniedAccessInterceptor.
    if (!patient) throw DomainError.notFound('The patient');
    await this.record(scope, meta, 'patient.view', id);
    return mapPatient(patient);
  }

  /**
   * The patient's name and reference, not audited by itself: for a page
   * whose own event covers it (the access history records
   * `patient.access_history`). 404 for another clinic's patient.
   */
  async heading(scope: ClinicScope, id: string): Promise<PatientResponseDto> {
    const patient = await this.patients.findById(scope, id);
    if (!patient) throw DomainError.notFound('The patient');
    return mapPatient(patient);
  }

  async create(
    scope: ClinicScope,
    dto: PatientCreateDto,
    meta: RequestMeta,
  ): Promise<PatientResponseDto> {
    if (dto.reference && (await this.patients.isReferenceTaken(scope, dto.reference))) {
      throw new DomainError(ErrorCode.Conflict, 'Another patient already has this reference.', [
        {
          field: 'reference',
          message: 'Another patient of this clinic already has this reference.',
        },
      ]);
    }
    const patient = await this.patients.create(scope, {
      givenName: dto.givenName,
      familyName: dto.familyName,
      reference: dto.reference ?? null,
    });
    await this.record(scope, meta, 'patient.create', patient.id);
    return mapPatient(patient);
  }

  private record(
    scope: ClinicScope,
    meta: RequestMeta,
    action: AuditAction,
    targetId: string | undefined,
    detail: Record<string, number> = {},
  ): Promise<void> {
    return this.audit.recordByUser(scope, meta, {
      action,
      targetType: 'patient',
      targetId,
      patientId: targetId ?? null,
      outcome: 'success',
      detail,
    });
  }
}
