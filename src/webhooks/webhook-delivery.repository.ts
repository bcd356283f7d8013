import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** The delivery logs of a clinic's endpoints, for its admin page (the outbox writes them). */
@Injectable()
export class WebhookDeliveryRepository extends ClinicScopedRepository<WebhookDeliveryEntity> {
  constructor(
    @InjectRepository(WebhookDeliveryEntity) repository: Repository<WebhookDeliveryEntity>,
  ) {
    super(repository);
  }

  /**
   * The newest `perEndpoint` deliveries of each of these endpoints, newest
   * first: one indexed read per endpoint (a clinic has a few).
   */
  async latest(
    scope: ClinicScope,
    endpointIds: readonly string[],
    perEndpoint: number,
  ): Promise<Map<string, WebhookDeliveryEntity[]>> {
    const logs = await Promise.all(
      endpointIds.map((endpointId) =>
        this.findWhere(scope, { endpointId }, { createdAt: 'DESC', id: 'DESC' }, perEndpoint),
      ),
    );
    return new Map(endpointIds.map((id, i) => [id, logs[i]]));
  }
}
