import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ClinicScope } from '../common/clinic-scope';
import { Clock } from '../common/clock';
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

  /** Records an event; pass the transaction's manager to make it part of the same commit. */
  async record(event: AuditEvent, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(AuditEventEntity) : this.events;
    await repository.insert({
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
    });
  }

  /** Failed sign-ins in the window, for the email and for the address (partial indexes serve both). */
  async recentSignInFailures(
    email: string,
    ip: string | undefined,
    windowMs: number,
  ): Promise<{ forEmail: number; forIp: number }> {
    const since = new Date(this.clock.now().getTime() - windowMs);
    const failures = () =>
      this.events
        .createQueryBuilder('event')
        .where(`event.action = 'auth.sign_in' AND event.outcome = 'failure'`)
        .andWhere('event.occurredAt > :since', { since });
    const forEmail = await failures()
      .andWhere(`event.detail ->> 'email' = :email`, { email })
      .getCount();
    const forIp = ip ? await failures().andWhere('event.ip = :ip', { ip }).getCount() : 0;
    return { forEmail, forIp };
  }

  /** The clinic's audit log, newest first. */
  listForClinic(scope: ClinicScope, limit: number): Promise<AuditEventEntity[]> {
    return this.events.find({
      where: { clinicId: scope.clinicId },
      order: { occurredAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }
}
