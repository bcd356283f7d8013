import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsString } from 'class-validator';
import {
  WebhookDeliveryEntity,
  WebhookDeliveryStatus,
  WebhookProblem,
} from './webhook-delivery.entity';
import { WEBHOOK_EVENT_TYPES, WebhookDeliveryType, WebhookEventType } from './webhook-event';
import { WebhookDisabledReason, WebhookEndpointEntity } from './webhook-endpoint.entity';

/** A form's checkboxes of one name: one sends a string, several a list (none, nothing). */
const asList = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) || value === undefined ? value : [value];

/** The events the endpoint is sent: at least one, from the list. */
export class WebhookEventsDto {
  @Transform(asList)
  @IsArray({ message: 'Choose the events to send.' })
  @ArrayNotEmpty({ message: 'Choose at least one event to send.' })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: 'Choose events from the list.' })
  // No box ticked sends no field at all: the same as an empty choice.
  events: WebhookEventType[] = [];
}

/**
 * The admin's "register an endpoint" form. The address is checked by the
 * service (checkEndpointUrl, its length too, then where its name leads),
 * under the deployment's rules.
 */
export class WebhookEndpointDto extends WebhookEventsDto {
  @IsString({ message: 'Give the address of the endpoint, starting with https://.' })
  url!: string;
}

/** A new endpoint's signing secret, `whsec_…`: shown once, to copy into the receiving system. */
export interface NewEndpointSecret {
  readonly endpointId: string;
  readonly secret: string;
}

/** One delivery as the endpoint's log shows it. */
export interface WebhookDeliveryDto {
  readonly eventId: string;
  readonly type: WebhookDeliveryType;
  readonly createdAt: Date;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly lastAttemptAt: Date | null;
  readonly lastProblem: WebhookProblem | null;
  readonly lastHttpStatus: number | null;
  readonly sentAt: Date | null;
}

/** An endpoint as the admin page shows it: never its secret. */
export interface WebhookEndpointSummaryDto {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
  readonly disabledReason: WebhookDisabledReason | null;
  readonly failingSince: Date | null;
  /** Newest first. */
  readonly deliveries: readonly WebhookDeliveryDto[];
}

export function mapWebhookDelivery(delivery: WebhookDeliveryEntity): WebhookDeliveryDto {
  return {
    eventId: delivery.eventId,
    type: delivery.eventType,
    createdAt: delivery.createdAt,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt,
    lastAttemptAt: delivery.lastAttemptAt,
    lastProblem: delivery.lastProblem,
    lastHttpStatus: delivery.lastHttpStatus,
    sentAt: delivery.sentAt,
  };
}

export function mapWebhookEndpoint(
  endpoint: WebhookEndpointEntity,
  deliveries: readonly WebhookDeliveryEntity[],
): WebhookEndpointSummaryDto {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: WEBHOOK_EVENT_TYPES.filter((type) => endpoint.events.includes(type)),
    createdAt: endpoint.createdAt,
    disabledAt: endpoint.disabledAt,
    disabledReason: endpoint.disabledReason,
    failingSince: endpoint.failingSince,
    deliveries: deliveries.map(mapWebhookDelivery),
  };
}
