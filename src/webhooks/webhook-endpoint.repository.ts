import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { WebhookEventType } from './webhook-event';
import { WebhookDisabledReason, WebhookEndpointEntity } from './webhook-endpoint.entity';

/** A new endpoint's values. */
export interface NewWebhookEndpoint {
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly secretSealed: Buffer;
}

/**
 * A clinic's webhook endpoints, for its admin pages, and turning an
 * endpoint off, which the dispatcher does too (for the clinic of the
 * delivery it tried).
 */
@Injectable()
export class WebhookEndpointRepository extends ClinicScopedRepository<WebhookEndpointEntity> {
  constructor(
    @InjectRepository(WebhookEndpointEntity) repository: Repository<WebhookEndpointEntity>,
  ) {
    super(repository);
  }

  /** The clinic's endpoints, oldest first. */
  list(scope: ClinicScope): Promise<WebhookEndpointEntity[]> {
    return this.findWhere(scope, {}, { createdAt: 'ASC', id: 'ASC' });
  }

  count(scope: ClinicScope): Promise<number> {
    return this.repository.countBy({ clinicId: scope.clinicId });
  }

  find(scope: ClinicScope, id: string): Promise<WebhookEndpointEntity | null> {
    return this.findOneWhere(scope, { id });
  }

  insert(scope: ClinicScope, values: NewWebhookEndpoint): Promise<WebhookEndpointEntity> {
    return this.insertScoped(scope, {
      ...values,
      events: [...values.events],
      createdBy: scope.userId,
    } as Omit<WebhookEndpointEntity, 'clinicId'>);
  }

  async setEvents(
    scope: ClinicScope,
    id: string,
    events: readonly WebhookEventType[],
  ): Promise<void> {
    await this.repository.update(this.where(scope, { id }), { events: [...events] });
  }

  /** On again, its failures forgotten; false when it was on already. */
  async turnOn(scope: ClinicScope, id: string): Promise<boolean> {
    const [, affected] = await this.repository.query<[unknown[], number]>(
      `UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL
       WHERE clinic_id = $1 AND id = $2 AND disabled_at IS NOT NULL`,
      [scope.clinicId, id],
    );
    return affected === 1;
  }

  /**
   * Turns the endpoint off, in `manager`'s transaction, and cancels its
   * deliveries waiting for a try; false when it was off already. A delivery
   * being sent records its outcome, then is not tried again.
   */
  async turnOff(
    manager: EntityManager,
    clinicId: string,
    id: string,
    reason: WebhookDisabledReason,
    at: Date,
  ): Promise<boolean> {
    const [, affected] = await manager.query<[unknown[], number]>(
      `UPDATE webhook_endpoints SET disabled_at = $3, disabled_reason = $4
       WHERE clinic_id = $1 AND id = $2 AND disabled_at IS NULL`,
      [clinicId, id, at, reason],
    );
    if (affected === 0) return false;
    await manager.query(
      `UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = $3
       WHERE clinic_id = $1 AND endpoint_id = $2 AND status = 'pending'`,
      [clinicId, id, at],
    );
    return true;
  }

  /** Deletes the endpoint with its deliveries; false when there was none. */
  async delete(scope: ClinicScope, id: string): Promise<boolean> {
    const result = await this.repository.delete(this.where(scope, { id }));
    return (result.affected ?? 0) > 0;
  }
}
