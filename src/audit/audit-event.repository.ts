import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ClinicScope } from '../common/clinic-scope';
import { SqlParams } from '../common/sql-params';
import { AuditAction } from './audit-actions';
import { ActorType, AuditEventEntity, AuditOutcome } from './audit-event.entity';

/** An event as written: `patientId` unset means "the patient of the target, if it has one". */
export type AuditEventRow = Omit<AuditEventEntity, 'id' | 'patientId'> & {
  readonly patientId: string | null | undefined;
};

/** Where a target's patient is looked for: in the event's clinic, or (a refused attempt) in any. */
export type PatientLookup = 'same-clinic' | 'any-clinic';

/** An event as read for a clinic, with the names that clinic may see. */
export interface AuditEventRead {
  readonly id: string;
  readonly occurredAt: Date;
  readonly clinicId: string | null;
  readonly actorType: ActorType;
  readonly actorId: string | null;
  /** The acting user's name, when they are of the reading clinic. */
  readonly actorName: string | null;
  readonly action: AuditAction;
  readonly targetType: string | null;
  readonly targetId: string | null;
  /** The target user's name, when the target is a user of the reading clinic. */
  readonly targetName: string | null;
  readonly patientId: string | null;
  /** The patient's name and reference, when the patient is of the reading clinic. */
  readonly patient: { givenName: string; familyName: string; reference: string | null } | null;
  readonly outcome: AuditOutcome;
  readonly requestId: string | null;
  readonly ip: string | null;
}

export interface AuditEventFilters {
  readonly action?: AuditAction;
  readonly actorId?: string;
  readonly outcome?: AuditOutcome;
  readonly targetId?: string;
  readonly patientId?: string;
  /** Instants: from inclusive, to exclusive. */
  readonly from?: Date;
  readonly to?: Date;
  /** Keyset paging: only events with a smaller id. */
  readonly before?: string;
}

interface RawRead {
  id: string;
  occurred_at: Date;
  clinic_id: string | null;
  actor_type: ActorType;
  actor_id: string | null;
  actor_name: string | null;
  action: AuditAction;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  patient_id: string | null;
  given_name: string | null;
  family_name: string | null;
  reference: string | null;
  outcome: AuditOutcome;
  request_id: string | null;
  ip: string | null;
}

/**
 * The patient of a target, as a scalar subquery (NULL for targets that are
 * no patient's, or not found). `clinic` limits the lookup to one clinic;
 * null looks in every clinic, which only a refused attempt needs: the
 * patient another clinic's staff tried to reach.
 */
function patientOfTargetSql(
  targetType: string | null,
  targetId: string,
  clinic: string | null,
): string {
  const inClinic = (alias: string) => (clinic ? ` AND ${alias}.clinic_id = ${clinic}` : '');
  switch (targetType ?? '') {
    case 'patient':
      return `(SELECT p.id FROM patients p WHERE p.id = ${targetId}${inClinic('p')})`;
    case 'intake':
      return `(SELECT i.patient_id FROM intakes i WHERE i.id = ${targetId}${inClinic('i')})`;
    case 'invitation':
      return `(SELECT v.patient_id FROM invitations v WHERE v.id = ${targetId}${inClinic('v')})`;
    case 'assessment':
      return `(SELECT i.patient_id FROM assessments a
        JOIN intakes i ON i.clinic_id = a.clinic_id AND i.id = a.intake_id
        WHERE a.id = ${targetId}${inClinic('a')})`;
    default:
      return 'NULL::uuid';
  }
}

const READ_COLUMNS = `e.id, e.occurred_at, e.clinic_id, e.actor_type, e.actor_id, e.action,
  e.target_type, e.target_id, e.patient_id, e.outcome, e.request_id, host(e.ip) AS ip,
  COALESCE(u.display_name, k.name) AS actor_name, tu.display_name AS target_name,
  p.given_name, p.family_name, p.reference`;

/** Names only of the reading clinic's users, keys and patients: another clinic's never join. */
const readJoins = (clinic: string) => `
  LEFT JOIN users u ON e.actor_type = 'user' AND u.clinic_id = ${clinic} AND u.id = e.actor_id
  LEFT JOIN api_keys k ON e.actor_type = 'api_key' AND k.clinic_id = ${clinic} AND k.id = e.actor_id
  LEFT JOIN users tu ON e.target_type = 'user' AND tu.clinic_id = ${clinic} AND tu.id = e.target_id
  LEFT JOIN patients p ON p.clinic_id = ${clinic} AND p.id = e.patient_id`;

function mapRead(row: RawRead): AuditEventRead {
  return {
    id: String(row.id),
    occurredAt: new Date(row.occurred_at),
    clinicId: row.clinic_id,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    targetName: row.target_name,
    patientId: row.patient_id,
    patient:
      row.given_name !== null && row.family_name !== null
        ? { givenName: row.given_name, familyName: row.family_name, reference: row.reference }
        : null,
    outcome: row.outcome,
    requestId: row.request_id,
    ip: row.ip,
  };
}

/**
 * The audit log's statements. Writes fill `patient_id` from the target when
 * the caller does not name the patient, in the same statement. Reads join
 * the names the reading clinic may see, and reach beyond the clinic's own
 * events only for its own patients (refused attempts by other clinics).
 */
@Injectable()
export class AuditEventRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(row: AuditEventRow, lookup: PatientLookup, manager?: EntityManager): Promise<void> {
    const params = new SqlParams();
    const sql = this.insertSql(row, lookup, params);
    await (manager ?? this.dataSource.manager).query(sql, [...params.values]);
  }

  /** The INSERT of one event as `INSERT ... SELECT` without FROM (see AuditService.insertSql). */
  insertSql(row: AuditEventRow, lookup: PatientLookup, params: SqlParams): string {
    const targetId = params.add(row.targetId, 'uuid');
    const clinicId = params.add(row.clinicId, 'uuid');
    const patient =
      row.patientId !== undefined
        ? params.add(row.patientId, 'uuid')
        : row.targetId === null
          ? 'NULL::uuid'
          : patientOfTargetSql(
              row.targetType,
              targetId,
              lookup === 'same-clinic' ? clinicId : null,
            );
    return `INSERT INTO audit_events (occurred_at, clinic_id, actor_type, actor_id, action,
        target_type, target_id, patient_id, outcome, request_id, ip, detail)
      SELECT ${params.add(row.occurredAt, 'timestamptz')}, ${clinicId},
        ${params.add(row.actorType, 'varchar')}, ${params.add(row.actorId, 'uuid')},
        ${params.add(row.action, 'varchar')}, ${params.add(row.targetType, 'varchar')},
        ${targetId}, ${patient}, ${params.add(row.outcome, 'varchar')},
        ${params.add(row.requestId, 'varchar')}, ${params.add(row.ip, 'inet')},
        ${params.add(row.detail, 'jsonb')}`;
  }

  async isClinicPatient(scope: ClinicScope, patientId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM patients WHERE clinic_id = $1 AND id = $2`,
      [scope.clinicId, patientId],
    );
    return rows.length > 0;
  }

  /**
   * Events newest first (by id), at most `limit`. The clinic's own events;
   * with a patient of the clinic as filter, every event about that patient,
   * refused attempts from other clinics included.
   */
  async list(
    scope: ClinicScope,
    filters: AuditEventFilters,
    limit: number,
  ): Promise<AuditEventRead[]> {
    const params = new SqlParams();
    const clinic = params.add(scope.clinicId, 'uuid');
    const where: string[] = [];
    if (filters.patientId) {
      where.push(`e.patient_id = ${params.add(filters.patientId, 'uuid')}`);
      if (!(await this.isClinicPatient(scope, filters.patientId)))
        where.push(`e.clinic_id = ${clinic}`);
    } else {
      where.push(`e.clinic_id = ${clinic}`);
    }
    if (filters.action) where.push(`e.action = ${params.add(filters.action, 'varchar')}`);
    if (filters.actorId) where.push(`e.actor_id = ${params.add(filters.actorId, 'uuid')}`);
    if (filters.outcome) where.push(`e.outcome = ${params.add(filters.outcome, 'varchar')}`);
    if (filters.targetId) where.push(`e.target_id = ${params.add(filters.targetId, 'uuid')}`);
    if (filters.from) where.push(`e.occurred_at >= ${params.add(filters.from, 'timestamptz')}`);
    if (filters.to) where.push(`e.occurred_at < ${params.add(filters.to, 'timestamptz')}`);
    if (filters.before) where.push(`e.id < ${params.add(filters.before, 'bigint')}`);
    const rows = await this.dataSource.query<RawRead[]>(
      `SELECT ${READ_COLUMNS} FROM audit_events e ${readJoins(clinic)}
       WHERE ${where.join(' AND ')}
       ORDER BY e.id DESC LIMIT ${params.add(limit, 'int')}`,
      [...params.values],
    );
    return rows.map(mapRead);
  }

  /**
   * A patient of the clinic's history, newest first by time, at most
   * `limit`, continued after the event `before`. Served by
   * `audit_events_patient_time_idx`.
   */
  async historyOfPatient(
    scope: ClinicScope,
    patientId: string,
    options: { before?: string; limit: number },
  ): Promise<AuditEventRead[]> {
    const params = new SqlParams();
    const clinic = params.add(scope.clinicId, 'uuid');
    const patient = params.add(patientId, 'uuid');
    const before = options.before
      ? `AND (e.occurred_at, e.id) < (SELECT b.occurred_at, b.id FROM audit_events b
           WHERE b.id = ${params.add(options.before, 'bigint')})`
      : '';
    const rows = await this.dataSource.query<RawRead[]>(
      `SELECT ${READ_COLUMNS} FROM audit_events e ${readJoins(clinic)}
       WHERE e.patient_id = ${patient}
         AND EXISTS (SELECT 1 FROM patients own WHERE own.clinic_id = ${clinic} AND own.id = ${patient})
         ${before}
       ORDER BY e.occurred_at DESC, e.id DESC LIMIT ${params.add(options.limit, 'int')}`,
      [...params.values],
    );
    return rows.map(mapRead);
  }

  /**
   * Every event of the clinic in [from, to), and every other clinic's event
   * about one of its patients, oldest first, read in batches of `batch` by
   * id so that an export of any length holds one batch in memory at a time.
   */
  async *exportRange(
    scope: ClinicScope,
    from: Date,
    to: Date,
    batch = 500,
  ): AsyncGenerator<AuditEventRead[]> {
    let after = '0';
    for (;;) {
      const params = new SqlParams();
      const clinic = params.add(scope.clinicId, 'uuid');
      const rows = await this.dataSource.query<RawRead[]>(
        `SELECT ${READ_COLUMNS} FROM audit_events e ${readJoins(clinic)}
         WHERE (e.clinic_id = ${clinic}
                OR e.patient_id IN (SELECT own.id FROM patients own WHERE own.clinic_id = ${clinic}))
           AND e.occurred_at >= ${params.add(from, 'timestamptz')}
           AND e.occurred_at < ${params.add(to, 'timestamptz')}
           AND e.id > ${params.add(after, 'bigint')}
         ORDER BY e.id LIMIT ${params.add(batch, 'int')}`,
        [...params.values],
      );
      if (rows.length === 0) return;
      yield rows.map(mapRead);
      if (rows.length < batch) return;
      after = String(rows[rows.length - 1].id);
    }
  }
}
