import { Injectable } from '@nestjs/common';
import { RequestMeta } from '../auth/actor';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import {
  mapPatient,
  mapPatientDetail,
  PatientCreateDto,
  PatientDetailDto,
  PatientListQueryDto,
  PatientPageDto,
  PatientResponseDto,
  PatientUpdateDto,
} from './patient.dto';
import { PatientEntity } from './patient.entity';
import { PatientDetails, PatientRepository } from './patient.repository';

/** The fields a change may touch, in the order an audit event names them. */
const DETAIL_FIELDS = ['givenName', 'familyName', 'reference', 'email', 'phone'] as const;

@Injectable()
export class PatientsService {
  constructor(
    private readonly patients: PatientRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
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
      archived: query.archived,
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

  /** The patient with their contact details, for staff of the clinic. */
  async get(scope: ClinicScope, id: string, meta: RequestMeta): Promise<PatientDetailDto> {
    const patient = await this.found(scope, id);
    await this.record(scope, meta, 'patient.view', id);
    return mapPatientDetail(patient);
  }

  /**
   * The patient's name and reference, not audited by itself: for a page
   * whose own event covers it (the access history records
   * `patient.access_history`). 404 for another clinic's patient.
   */
  async heading(scope: ClinicScope, id: string): Promise<PatientResponseDto> {
    return mapPatient(await this.found(scope, id));
  }

  async create(
    scope: ClinicScope,
    dto: PatientCreateDto,
    meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    if (dto.reference) await this.refuseTakenReference(scope, dto.reference);
    const patient = await this.patients.create(scope, {
      givenName: dto.givenName,
      familyName: dto.familyName,
      reference: dto.reference ?? null,
      email: dto.email ?? null,
      phone: dto.phone ?? null,
    });
    await this.record(scope, meta, 'patient.create', patient.id);
    return mapPatientDetail(patient);
  }

  /**
   * Changes the fields sent; the event names the fields that changed, never
   * their values (contact details are not for the audit log either). A change
   * that changes nothing writes nothing and records nothing. Two changes at
   * once: the later wins (no version check), field by field.
   */
  async update(
    scope: ClinicScope,
    id: string,
    dto: PatientUpdateDto,
    meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    const patient = await this.found(scope, id);
    const changes: Partial<Record<keyof PatientDetails, string | null>> = {};
    for (const field of DETAIL_FIELDS) {
      const value = dto[field];
      if (value !== undefined && value !== patient[field]) changes[field] = value;
    }
    const fields = Object.keys(changes);
    if (fields.length === 0) return mapPatientDetail(patient);
    if (changes.reference) await this.refuseTakenReference(scope, changes.reference, id);
    await this.patients.update(scope, id, changes as Partial<PatientDetails>);
    await this.record(scope, meta, 'patient.update', id, { fields: fields.join(',') });
    return mapPatientDetail({ ...patient, ...changes } as PatientEntity);
  }

  /**
   * Out of the list by default, every record kept; the patient's links stop
   * working at once (PatientSessionService reads the patient with the link)
   * and no link can be made until unarchived. Archiving twice changes and
   * records nothing the second time.
   */
  archive(scope: ClinicScope, id: string, meta: RequestMeta): Promise<PatientDetailDto> {
    return this.setArchived(scope, id, this.clock.now(), meta);
  }

  /** Back in the list; links not revoked or expired work again. */
  unarchive(scope: ClinicScope, id: string, meta: RequestMeta): Promise<PatientDetailDto> {
    return this.setArchived(scope, id, null, meta);
  }

  private async setArchived(
    scope: ClinicScope,
    id: string,
    at: Date | null,
    meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    await this.found(scope, id);
    if (await this.patients.setArchived(scope, id, at)) {
      await this.record(scope, meta, at ? 'patient.archive' : 'patient.unarchive', id);
    }
    return mapPatientDetail(await this.found(scope, id));
  }

  /** 404 for another clinic's patient (or none): recorded by DeniedAccessInterceptor. */
  private async found(scope: ClinicScope, id: string): Promise<PatientEntity> {
    const patient = await this.patients.findById(scope, id);
    if (!patient) throw DomainError.notFound('The patient');
    return patient;
  }

  private async refuseTakenReference(
    scope: ClinicScope,
    reference: string,
    except?: string,
  ): Promise<void> {
    if (!(await this.patients.isReferenceTaken(scope, reference, except))) return;
    throw new DomainError(ErrorCode.Conflict, 'Another patient already has this reference.', [
      { field: 'reference', message: 'Another patient of this clinic already has this reference.' },
    ]);
  }

  private record(
    scope: ClinicScope,
    meta: RequestMeta,
    action: AuditAction,
    targetId: string | undefined,
    detail: Record<string, number | string> = {},
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
