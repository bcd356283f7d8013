import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { ClinicTime } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { SqlParams } from '../common/sql-params';
import { AuditAction } from './audit-actions';
import { auditCsvHeader, auditCsvLine } from './audit-csv';
import {
  AuditEventListQueryDto,
  AuditEventPage,
  AuditEventResponseDto,
  AuditExportQueryDto,
  mapAuditEvent,
} from './audit-event.dto';
import { ActorType, AuditOutcome } from './audit-event.entity';
import { AuditEventRepository, AuditEventRow, PatientLookup } from './audit-event.repository';

export interface AuditEvent {
  readonly clinicId: string | null;
  readonly actorType: ActorType;
  readonly actorId: string | null;
  readonly action: AuditAction;
  readonly targetType?: string;
  readonly targetId?: string;
  /**
   * The patient the event concerns. Left out, it is the target's patient (of
   * a patient, intake, assessment or invitation target), found in the same
   * statement; null says the event concerns no patient.
   */
  readonly patientId?: string | null;
  readonly outcome: AuditOutcome;
  readonly requestId?: string;
  readonly ip?: string;
  /** Identifiers and counts only, never health values. */
  readonly detail?: Record<string, string | number | boolean | null>;
}

/** A refused request for a record: the route's action and the id it named. */
export interface AuditDenial {
  readonly action: AuditAction;
  readonly targetType: string;
  /** Absent when the path's id was not an id at all. */
  readonly targetId?: string;
  readonly detail?: Record<string, string | number | boolean | null>;
}

/** A patient's access history, newest first; `olderBefore` continues it. */
export interface PatientHistoryPage {
  readonly events: AuditEventResponseDto[];
  readonly olderBefore: string | null;
}

/** A CSV export under way: its file name and its lines, read from the database as they are sent. */
export interface AuditExport {
  readonly filename: string;
  readonly stream: Readable;
}

/** The signed-in user, or the API key that called (acting for the admin who made it). */
function actorOf(scope: ClinicScope): { actorType: ActorType; actorId: string } {
  return scope.apiKeyId
    ? { actorType: 'api_key', actorId: scope.apiKeyId }
    : { actorType: 'user', actorId: scope.userId };
}

/**
 * Writes the append-only audit log and reads it for the clinic: its admin's
 * log and export, and each patient's access history.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly log: AuditEventRepository,
    private readonly clock: Clock,
  ) {}

  /** Records what the signed-in clinician or admin (or the API key) of `scope` did, with the request's id and address. */
  recordByUser(
    scope: ClinicScope,
    meta: RequestMeta,
    event: Omit<AuditEvent, 'clinicId' | 'actorType' | 'actorId' | 'requestId' | 'ip'>,
    manager?: EntityManager,
  ): Promise<void> {
    return this.record({ clinicId: scope.clinicId, ...actorOf(scope), ...meta, ...event }, manager);
  }

  /** Records an event; pass the transaction's manager to make it part of the same commit. */
  async record(event: AuditEvent, manager?: EntityManager): Promise<void> {
    await this.log.insert(this.row(event), 'same-clinic', manager);
  }

  /**
   * Records that `scope`'s user was refused a record (not in their clinic, or
   * no such record). The event is the user's clinic's; its patient is the one
   * the record belongs to in whichever clinic, so that the attempt shows in
   * that patient's access history ("someone outside this clinic").
   */
  async recordDenied(scope: ClinicScope, meta: RequestMeta, denial: AuditDenial): Promise<void> {
    const lookup: PatientLookup = 'any-clinic';
    await this.log.insert(
      this.row({
        clinicId: scope.clinicId,
        ...actorOf(scope),
        ...meta,
        ...denial,
        outcome: 'denied',
      }),
      lookup,
    );
  }

  /**
   * The INSERT of `event` as one part of a larger statement, without its
   * FROM: the caller adds `FROM <rows>`, so the event is written exactly when
   * those rows are, in the same statement (see IntakeRepository.submit).
   */
  insertSql(event: AuditEvent, params: SqlParams): string {
    return this.log.insertSql(this.row(event), 'same-clinic', params);
  }

  private row(event: AuditEvent): AuditEventRow {
    return {
      occurredAt: this.clock.now(),
      clinicId: event.clinicId,
      actorType: event.actorType,
      actorId: event.actorId,
      action: event.action,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      patientId: event.patientId,
      outcome: event.outcome,
      requestId: event.requestId ?? null,
      ip: event.ip ?? null,
      detail: event.detail ?? {},
    };
  }

  /**
   * A page of the clinic's audit log, newest first (by id, which grows with
   * every insert), narrowed by the query's filters and continued from
   * `before`; the days `from` and `to` are the clinic's (`time`). Filtered
   * by one of the clinic's patients, it holds every event about them,
   * refused attempts by other clinics' staff included (unnamed). Reading the
   * log is itself recorded.
   */
  async listForClinic(
    scope: ClinicScope,
    query: AuditEventListQueryDto,
    meta: RequestMeta,
    time: ClinicTime,
    defaultLimit = 100,
  ): Promise<AuditEventPage> {
    const limit = query.limit ?? defaultLimit;
    const found = await this.log.list(
      scope,
      {
        action: query.action,
        actorId: query.actorId,
        outcome: query.outcome,
        targetId: query.targetId,
        patientId: query.patientId,
        from: query.from ? time.startOf(query.from) : undefined,
        to: query.to ? dayAfter(time, query.to) : undefined,
        before: query.before,
      },
      limit + 1,
    );
    const events = found.slice(0, limit);
    const olderBefore = found.length > limit ? (events[events.length - 1]?.id ?? null) : null;

    await this.recordByUser(scope, meta, {
      action: 'audit.view',
      outcome: 'success',
      patientId: query.patientId ?? null,
      detail: { ...filtersOf(query), count: events.length },
    });
    return { events: events.map((event) => mapAuditEvent(event, scope)), olderBefore };
  }

  /**
   * Who did what to a patient of the clinic, newest first: its staff by
   * name, the patient through their link, and refused attempts by anyone
   * else as "someone outside this clinic". Not audited itself: the patient
   * page that shows it records its view (see readPatientHistory).
   */
  async patientHistory(
    scope: ClinicScope,
    patientId: string,
    options: { before?: string; limit: number },
  ): Promise<PatientHistoryPage> {
    const found = await this.log.historyOfPatient(scope, patientId, {
      before: options.before,
      limit: options.limit + 1,
    });
    const events = found.slice(0, options.limit);
    return {
      events: events.map((event) => mapAuditEvent(event, scope)),
      olderBefore: found.length > options.limit ? (events[events.length - 1]?.id ?? null) : null,
    };
  }

  /** The patient's access history on its own page: 404 for another clinic's patient; audited. */
  async readPatientHistory(
    scope: ClinicScope,
    patientId: string,
    meta: RequestMeta,
    options: { before?: string; limit: number },
  ): Promise<PatientHistoryPage> {
    if (!(await this.log.isClinicPatient(scope, patientId)))
      throw DomainError.notFound('The patient');
    const page = await this.patientHistory(scope, patientId, options);
    await this.recordByUser(scope, meta, {
      action: 'patient.access_history',
      targetType: 'patient',
      targetId: patientId,
      patientId,
      outcome: 'success',
      detail: { count: page.events.length, ...(options.before ? { before: options.before } : {}) },
    });
    return page;
  }

  /**
   * The clinic's log for the days `from` to `to` (its own, inclusive) as CSV,
   * oldest first, read in batches while it is sent. The export is recorded
   * before the first line.
   */
  async exportCsv(
    scope: ClinicScope,
    query: AuditExportQueryDto,
    meta: RequestMeta,
    time: ClinicTime,
  ): Promise<AuditExport> {
    await this.recordByUser(scope, meta, {
      action: 'audit.export',
      outcome: 'success',
      detail: { from: query.from, to: query.to, timeZone: time.zone },
    });
    const batches = this.log.exportRange(scope, time.startOf(query.from), dayAfter(time, query.to));
    async function* lines(): AsyncGenerator<string> {
      yield auditCsvHeader();
      for await (const batch of batches) {
        yield batch.map((event) => auditCsvLine(mapAuditEvent(event, scope), time)).join('');
      }
    }
    return {
      filename: `audit-log-${query.from}-to-${query.to}.csv`,
      stream: Readable.from(lines(), { objectMode: false }),
    };
  }
}

/** The instant the day after `day` begins in the clinic's zone: the end, exclusive, of `day`. */
function dayAfter(time: ClinicTime, day: string): Date {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
  return time.startOf(next.toISOString().slice(0, 10));
}

/** The filters a query used, for the audit event of reading the log: ids and names, no values of records. */
function filtersOf(query: AuditEventListQueryDto): Record<string, string> {
  const keys = [
    'action',
    'actorId',
    'outcome',
    'targetId',
    'patientId',
    'from',
    'to',
    'before',
  ] as const;
  const used: Record<string, string> = {};
  for (const key of keys) {
    const value = query[key];
    if (value) used[key] = value;
  }
  return used;
}
