import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookEvents } from './webhook-events';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';
import { formatSigningSecret, newSigningSecret } from './webhook-signature';
import { checkEndpointUrl, EndpointPolicy } from './webhook-url';
import {
  mapWebhookEndpoint,
  NewEndpointSecret,
  WebhookEndpointDto,
  WebhookEndpointSummaryDto,
  WebhookEventsDto,
} from './webhook.dto';

/** Endpoints a clinic may register: enough for its other systems, few enough for one page. */
export const MAX_ENDPOINTS = 10;
/** Deliveries shown in each endpoint's log. */
export const LOG_LENGTH = 10;

/** What the address field says when the name does not lead where deliveries may go. */
const DESTINATION_REFUSED: Readonly<Record<string, string>> = {
  dns: 'That host name was not found: check the address.',
  address:
    'That address leads to this computer or a private network: deliveries go only to the public internet.',
  timeout: 'That host name did not resolve in time: check the address, or try again.',
};

/**
 * A clinic's webhook endpoints, for its admins: register one (its signing
 * secret shown once), choose its events, turn it off and on, delete it,
 * send it a test event, and read its delivery log. Every change is audited
 * with the endpoint's id, its host and events: never the whole address,
 * which may carry a token of the receiving system.
 */
@Injectable()
export class WebhooksService {
  private readonly policy: EndpointPolicy;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly secrets: WebhookSecrets,
    private readonly sender: WebhookSender,
    private readonly events: WebhookEvents,
    private readonly dispatcher: WebhookDispatcher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    this.policy = { production: config.env === 'production' };
  }

  /** The clinic's endpoints, oldest first, each with its newest deliveries. */
  async list(scope: ClinicScope): Promise<WebhookEndpointSummaryDto[]> {
    const endpoints = await this.endpoints.list(scope);
    const logs = await this.deliveries.latest(
      scope,
      endpoints.map((endpoint) => endpoint.id),
      LOG_LENGTH,
    );
    return endpoints.map((endpoint) => mapWebhookEndpoint(endpoint, logs.get(endpoint.id) ?? []));
  }

  /**
   * Registers an endpoint whose address passes the rules and whose name
   * leads where deliveries may go now; its signing secret, to show once (a
   * refusal names the field `url`).
   */
  async register(
    scope: ClinicScope,
    dto: WebhookEndpointDto,
    meta: RequestMeta,
  ): Promise<NewEndpointSecret> {
    const checked = checkEndpointUrl(dto.url, this.policy);
    if ('problem' in checked) throw urlRefused(checked.problem);
    const problem = await this.sender.checkDestination(checked.url);
    if (problem) throw urlRefused(DESTINATION_REFUSED[problem] ?? DESTINATION_REFUSED.dns);
    if ((await this.endpoints.count(scope)) >= MAX_ENDPOINTS) {
      throw urlRefused(
        `A clinic can register at most ${MAX_ENDPOINTS} endpoints: delete one first.`,
        ErrorCode.Conflict,
      );
    }
    const secret = newSigningSecret();
    const endpoint = await this.endpoints.insert(scope, {
      url: checked.url,
      events: [...new Set(dto.events)],
      secretSealed: this.secrets.seal(secret),
    });
    await this.record(scope, meta, 'webhook.create', endpoint);
    return { endpointId: endpoint.id, secret: formatSigningSecret(secret) };
  }

  async setEvents(
    scope: ClinicScope,
    id: string,
    dto: WebhookEventsDto,
    meta: RequestMeta,
  ): Promise<void> {
    const endpoint = await this.find(scope, id);
    const events = [...new Set(dto.events)];
    await this.endpoints.setEvents(scope, id, events);
    await this.record(scope, meta, 'webhook.update', { ...endpoint, events });
  }

  /** On again, its failures forgotten (deliveries cancelled while it was off stay so). */
  async turnOn(scope: ClinicScope, id: string, meta: RequestMeta): Promise<void> {
    const endpoint = await this.find(scope, id);
    if (await this.endpoints.turnOn(scope, id))
      await this.record(scope, meta, 'webhook.enable', endpoint);
  }

  /** Off: nothing new is written for it, and its waiting deliveries are cancelled. */
  async turnOff(scope: ClinicScope, id: string, meta: RequestMeta): Promise<void> {
    const endpoint = await this.find(scope, id);
    await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      if (await this.endpoints.turnOff(manager, scope.clinicId, id, 'admin', now)) {
        await this.record(scope, meta, 'webhook.disable', endpoint, { reason: 'admin' }, manager);
      }
    });
  }

  async delete(scope: ClinicScope, id: string, meta: RequestMeta): Promise<void> {
    const endpoint = await this.find(scope, id);
    if (await this.endpoints.delete(scope, id))
      await this.record(scope, meta, 'webhook.delete', endpoint);
  }

  /**
   * Writes a `webhook.test` event for the endpoint and makes its first try
   * now, through the outbox like any event, so the log shows the outcome
   * when the page comes back (a failure is retried as any other).
   */
  async test(scope: ClinicScope, id: string, meta: RequestMeta): Promise<void> {
    const endpoint = await this.find(scope, id);
    const deliveryId = await this.dataSource.transaction(async (manager) => {
      const made = await this.events.test(manager, scope.clinicId, id);
      if (made) await this.record(scope, meta, 'webhook.test', endpoint, {}, manager);
      return made;
    });
    if (!deliveryId) {
      throw new DomainError(
        ErrorCode.Conflict,
        'This endpoint is turned off: turn it on before sending it a test event.',
      );
    }
    await this.dispatcher.attempt(deliveryId);
  }

  /**
   * Refuses (not found) an id that is not one of the clinic's endpoints:
   * for a route to answer that before it reads the form that came with it.
   */
  async assertFound(scope: ClinicScope, id: string): Promise<void> {
    await this.find(scope, id);
  }

  /** The clinic's endpoint; not found (404, and audited as refused by the route) otherwise. */
  private async find(scope: ClinicScope, id: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.endpoints.find(scope, id);
    if (!endpoint) throw DomainError.notFound('The webhook endpoint');
    return endpoint;
  }

  private record(
    scope: ClinicScope,
    meta: RequestMeta,
    action: AuditAction,
    endpoint: Pick<WebhookEndpointEntity, 'id' | 'url' | 'events'>,
    detail: Record<string, string> = {},
    manager?: EntityManager,
  ): Promise<void> {
    return this.audit.recordByUser(
      scope,
      meta,
      {
        action,
        targetType: 'webhook',
        targetId: endpoint.id,
        patientId: null,
        outcome: 'success',
        detail: { host: new URL(endpoint.url).host, events: endpoint.events.join(','), ...detail },
      },
      manager,
    );
  }
}

const urlRefused = (message: string, code = ErrorCode.ValidationFailed): DomainError =>
  new DomainError(code, message, [{ field: 'url', message }]);
