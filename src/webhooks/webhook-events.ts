import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { SqlParams } from '../common/sql-params';
import { WebhookEvent } from './webhook-event';

/**
 * Writes the clinic's events into the webhook outbox: one delivery for each
 * endpoint of the clinic that is on and subscribed to the event's type,
 * always inside the transaction (or the statement) of the change the event
 * reports. So a delivery exists exactly when the change committed: none is
 * lost when the process dies after the commit (the row waits for the
 * dispatcher), none is made for a change that rolled back. Nothing is sent
 * here; WebhookDispatcher sends what was written.
 */
@Injectable()
export class WebhookEvents {
  constructor(private readonly clock: Clock) {}

  /** The event's deliveries, written in the transaction of `manager`. */
  async emit(manager: EntityManager, clinicId: string, event: WebhookEvent): Promise<void> {
    const params = new SqlParams();
    await manager.query(this.insertSql(clinicId, event, params), [...params.values]);
  }

  /**
   * The same as one part of a larger statement: the deliveries are written
   * only when `rows`, a relation of that statement holding the changed row,
   * has one (see IntakeRepository.submit).
   */
  insertSql(clinicId: string, event: WebhookEvent, params: SqlParams, rows?: string): string {
    return this.insert(
      event,
      params,
      rows,
      (type) => `e.clinic_id = ${params.add(clinicId, 'uuid')} AND ${type} = ANY (e.events)`,
    );
  }

  /**
   * A test event for one endpoint of the clinic, whatever it subscribes to,
   * while it is on; the delivery's id, or undefined when it is not (off, or
   * not the clinic's).
   */
  async test(
    manager: EntityManager,
    clinicId: string,
    endpointId: string,
  ): Promise<string | undefined> {
    const params = new SqlParams();
    const event: WebhookEvent = { type: 'webhook.test', data: { endpointId } };
    const where = () =>
      `e.clinic_id = ${params.add(clinicId, 'uuid')} AND e.id = ${params.add(endpointId, 'uuid')}`;
    const [delivery] = await manager.query<{ id: string }[]>(
      `${this.insert(event, params, undefined, where)} RETURNING id`,
      [...params.values],
    );
    return delivery?.id;
  }

  /**
   * One delivery per endpoint `e` that is on and matches `where` (given the
   * event type's placeholder), due now. Every delivery of one event shares
   * its id (the receivers' `webhook-id`).
   */
  private insert(
    event: WebhookEvent,
    params: SqlParams,
    rows: string | undefined,
    where: (type: string) => string,
  ): string {
    const now = params.add(this.clock.now(), 'timestamptz');
    const type = params.add(event.type, 'text');
    return `INSERT INTO webhook_deliveries (clinic_id, endpoint_id, event_id, event_type, data,
        occurred_at, status, attempts, next_attempt_at, created_at, updated_at)
      SELECT e.clinic_id, e.id, ${params.add(randomUUID(), 'uuid')}, ${type},
        ${params.add(event.data, 'jsonb')}, ${now}, 'pending', 0, ${now}, ${now}, ${now}
      FROM ${rows ? `${rows} CROSS JOIN ` : ''}webhook_endpoints e
      WHERE ${where(type)} AND e.disabled_at IS NULL`;
  }
}
