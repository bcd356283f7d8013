import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { ClinicTime } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { SqlParams } from '../common/sql-params';
import { AuditEventListQueryDto, AuditEventPage, mapAuditEvent } from './audit-event.dto';
import { ActorType, AuditEventEntity, AuditOutcome } from './audit-event.entity';

export interface AuditEvent {
  readonly clinicId: string | null;
  readonly actorType: ActorType;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly outcome: AuditOutcome;
  readonly requestId?: string;
  readonly ip?: string;
  /** Identifiers and counts only, never health values. */
  readonly detail?: Record<string, string | number | boolean | null>;
}

/** Writes the append-only audit log. */
@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    private readonly clock: Clock,
  ) {}

  /** Records what the signed-in clinician or admin of `scope` did, with the request's id and address. */
  recordByUser(
    scope: ClinicScope,
    meta: RequestMeta,
    event: Omit<AuditEvent, 'clinicId' | 'actorType' | 'actorId' | 'requestId' | 'ip'>,
    manager?: EntityManager,
  ): Promise<void> {
    return this.record(
      { clinicId: scope.clinicId, actorType: 'user', actorId: scope.userId, ...meta, ...event },
      manager,
    );
  }

  /** Records an event; pass the transaction's manager to make it part of the same commit. */
  async record(event: AuditEvent, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(AuditEventEntity) : this.events;
    await repository.insert(this.row(event));
  }

  /**
   * The INSERT of `event` as one part of a larger statement, without its
   * FROM: the caller adds `FROM <rows>`, so the event is written exactly when
   * those rows are, in the same statement (see IntakeRepository.submit).
   */
  insertSql(event: AuditEvent, params: SqlParams): string {
    const row = this.row(event);
    return `INSERT INTO audit_events (occurred_at, clinic_id, actor_type, actor_id, action,
        target_type, target_id, outcome, request_id, ip, detail)
      SELECT ${params.add(row.occurredAt, 'timestamptz')}, ${params.add(row.clinicId, 'uuid')},
        ${params.add(row.actorType, 'varchar')}, ${params.add(row.actorId, 'uuid')},
        ${params.add(row.action, 'varchar')}, ${params.add(row.targetType, 'varchar')},
        ${params.add(row.targetId, 'uuid')}, ${params.add(row.outcome, 'varchar')},
        ${params.add(row.requestId, 'varchar')}, ${params.add(row.ip, 'inet')},
        ${params.add(row.detail, 'jsonb')}`;
  }

  private row(event: AuditEvent): Omit<AuditEventEntity, 'id'> {
    return {
      occurredAt: this.clock.now(),
      clinicId: event.clinicId,
      actorType: event.actorType,
      actorId: event.actorId,
      action: event.action,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      outcome: event.outcome,
      requestId: event.requestId ?? null,
      ip: event.ip ?? null,
      detail: event.detail ?? {},
    };
  }

  /** The actions the clinic's log holds, for the audit page's suggestions. */
  async actionsForClinic(scope: ClinicScope): Promise<string[]> {
    const rows = await this.events
      .createQueryBuilder('event')
      .select('DISTINCT event.action', 'action')
      .where('event.clinicId = :clinicId', { clinicId: scope.clinicId })
      .orderBy('action')
      .getRawMany<{ action: string }>();
    return rows.map((row) => row.action);
  }

  /**
   * A page of the clinic's audit log, newest first (by id, which grows with
   * every insert), narrowed by the query's filters and continued from
   * `before`; the days `from` and `to` are the clinic's (`time`). Reading the
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
    const builder = this.events
      .createQueryBuilder('event')
      .where('event.clinicId = :clinicId', { clinicId: scope.clinicId });
    if (query.action) builder.andWhere('event.action = :action', { action: query.action });
    if (query.actorId) builder.andWhere('event.actorId = :actorId', { actorId: query.actorId });
    if (query.outcome) builder.andWhere('event.outcome = :outcome', { outcome: query.outcome });
    if (query.targetId)
      builder.andWhere('event.targetId = :targetId', { targetId: query.targetId });
    if (query.from)
      builder.andWhere('event.occurredAt >= :from', { from: time.startOf(query.from) });
    if (query.to) {
      const next = new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000);
      const dayAfter = time.startOf(next.toISOString().slice(0, 10));
      builder.andWhere('event.occurredAt < :dayAfter', { dayAfter });
    }
    if (query.before) builder.andWhere('event.id < :before', { before: query.before });
    const found = await builder
      .orderBy('event.id', 'DESC')
      .take(limit + 1)
      .getMany();
    const events = found.slice(0, limit);
    const olderBefore = found.length > limit ? (events[events.length - 1]?.id ?? null) : null;

    await this.recordByUser(scope, meta, {
      action: 'audit.view',
      outcome: 'success',
      detail: { ...filtersOf(query), count: events.length },
    });
    return { events: events.map(mapAuditEvent), olderBefore };
  }
}

/** The filters a query used, for the audit event of reading the log: ids and names, no values of records. */
function filtersOf(query: AuditEventListQueryDto): Record<string, string> {
  const keys = ['action', 'actorId', 'outcome', 'targetId', 'from', 'to', 'before'] as const;
  const used: Record<string, string> = {};
  for (const key of keys) {
    const value = query[key];
    if (value) used[key] = value;
  }
  return used;
}
