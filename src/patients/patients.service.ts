import { Injectable } from '@nestjs/common';
import { RequestMeta } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode } from '../common/domain-error';
import {
  mapPatient,
  PatientCreateDto,
  PatientListQueryDto,
  PatientResponseDto,
} from './patient.dto';
import { PatientRepository } from './patient.repository';

@Injectable()
export class PatientsService {
  constructor(
    private readonly patients: PatientRepository,
    private readonly audit: AuditService,
  ) {}

  async list(
    scope: ClinicScope,
    query: PatientListQueryDto,
    meta: RequestMeta,
  ): Promise<PatientResponseDto[]> {
    const found = await this.patients.search(scope, { text: query.q, limit: query.limit ?? 50 });
    await this.record(scope, meta, 'patient.list', undefined, { count: found.length });
    return found.map(mapPatient);
  }

  async get(scope: ClinicScope, id: string, meta: RequestMeta): Promise<PatientResponseDto> {
    const patient = await this.patients.findById(scope, id);
    if (!patient) {
      await this.record(scope, meta, 'patient.view', id, {}, 'failure');
      throw DomainError.notFound('The patient');
    }
    await this.record(scope, meta, 'patient.view', id);
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
    action: string,
    targetId: string | undefined,
    detail: Record<string, number> = {},
    outcome: 'success' | 'failure' = 'success',
  ): Promise<void> {
    return this.audit.record({
      clinicId: scope.clinicId,
      actorType: 'user',
      actorId: scope.userId,
      action,
      targetType: 'patient',
      targetId,
      outcome,
      ...meta,
      detail,
    });
  }
}
