import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditEventEntity } from '../audit/audit-event.entity';

/**
 * Counts refused invitation-link opens from the audit log, which every
 * instance writes to: the limit holds however many instances serve the links.
 */
@Injectable()
export class LinkAttemptRepository {
  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
  ) {}

  /**
   * Opens from the address since the moment that found no link (failure) or
   * an expired or revoked one (denied). The partial index
   * `audit_events_link_open_failures_ip_idx` serves it: keep the two conditions alike.
   */
  failuresFrom(ip: string, since: Date): Promise<number> {
    return this.events
      .createQueryBuilder('event')
      .where(`event.action = 'intake.link_open' AND event.outcome IN ('failure', 'denied')`)
      .andWhere('event.ip = :ip', { ip })
      .andWhere('event.occurredAt > :since', { since })
      .getCount();
  }
}
