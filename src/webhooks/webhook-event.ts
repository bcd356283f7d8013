import type { HandoutKind, PaperSize } from '../handouts/handout.entity';

/** The events an endpoint can subscribe to, in the order the admin page lists them. */
export const WEBHOOK_EVENT_TYPES = [
  'intake.submitted',
  'review.completed',
  'handout.ready',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a delivery can carry: a subscribed event, or the test an admin sends one endpoint. */
export const WEBHOOK_DELIVERY_TYPES = [...WEBHOOK_EVENT_TYPES, 'webhook.test'] as const;
export type WebhookDeliveryType = (typeof WEBHOOK_DELIVERY_TYPES)[number];

/** Each type in words, for the admin page. */
export const WEBHOOK_TYPE_LABELS: Readonly<Record<WebhookDeliveryType, string>> = {
  'intake.submitted': 'A patient sent their intake',
  'review.completed': "A clinician completed an intake's review",
  'handout.ready': 'A handout (PDF) was made and stored',
  'webhook.test': 'A test event, sent from this page',
};

/**
 * What each event says: identifiers only, never health data. No names, no
 * answers, no scores, no protocol (which treatment a patient is on is
 * health data here): an integrator reads what it is allowed to through the
 * clinic's API, where reading is audited. The types keep anything else out.
 */
export interface WebhookEventData {
  readonly 'intake.submitted': {
    readonly intakeId: string;
    readonly patientId: string;
    readonly invitationId: string;
  };
  readonly 'review.completed': { readonly intakeId: string; readonly patientId: string };
  readonly 'handout.ready': {
    readonly handoutId: string;
    readonly kind: HandoutKind;
    readonly paper: PaperSize;
    readonly assessmentId: string;
    readonly intakeId: string;
    readonly patientId: string;
  };
  readonly 'webhook.test': { readonly endpointId: string };
}

/** One event of the clinic, before it is written for each endpoint subscribed to it. */
export type WebhookEvent = {
  readonly [T in WebhookDeliveryType]: { readonly type: T; readonly data: WebhookEventData[T] };
}[WebhookDeliveryType];

/**
 * The request body, as Standard Webhooks shapes it: the type, when the event
 * happened (not when it is sent: a retry carries the same), and its data.
 * Made from the stored row at each try, the same bytes every time.
 */
export function webhookBody(type: WebhookDeliveryType, occurredAt: Date, data: object): string {
  return JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });
}
