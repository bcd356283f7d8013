import { ClinicTime } from '../../common/clinic-time';
import { WebhookDeliveryStatus, WebhookProblem } from '../../webhooks/webhook-delivery.entity';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TYPE_LABELS,
  WebhookEventType,
} from '../../webhooks/webhook-event';
import { SEND_LIMIT_MS } from '../../webhooks/webhook-sender';
import {
  NewEndpointSecret,
  WebhookDeliveryDto,
  WebhookEndpointSummaryDto,
} from '../../webhooks/webhook.dto';

/** What went wrong with a try, after "Failed:". */
export const WEBHOOK_PROBLEM_LABELS: Readonly<Record<WebhookProblem, string>> = {
  status: 'the endpoint answered with an error',
  timeout: `no answer within ${SEND_LIMIT_MS / 1000} seconds`,
  dns: 'the host name was not found',
  connection: 'the endpoint could not be reached, or broke off',
  tls: 'its certificate or encryption was refused (TLS)',
  address: 'its host name now leads to a private network or this computer',
  secret: 'its signing secret could not be read (the server’s secret changed): register it again',
  error: 'the request could not be made',
};

/** Notices after a form, by the `done` of the redirect. */
const DONE: Readonly<Record<string, string>> = {
  events: 'Saved. The endpoint is sent these events from now on.',
  on: 'Turned on. Events from now on are sent to it.',
  off: 'Turned off. Nothing more is sent to it; the events waiting for it were cancelled.',
  deleted: 'Deleted, with its delivery log.',
  test: 'A test event was sent. Its outcome is at the top of the endpoint’s log.',
};

/** The page as it was asked for, or shown again after a form. */
export interface WebhooksPageState {
  readonly endpoints: readonly WebhookEndpointSummaryDto[];
  readonly time: ClinicTime;
  /** Whether deliveries may use http:// to this computer (not in production). */
  readonly localHttp: boolean;
  /** A secret just made: shown this once. */
  readonly secret?: NewEndpointSecret;
  readonly done?: string;
  /** The registration form as typed, when it was refused. */
  readonly typed?: { readonly url?: unknown; readonly events?: unknown };
  /** Why an action on one endpoint was refused as a whole (a test while it is off). */
  readonly failure?: string;
  /** An endpoint's events form that was refused: the boxes as sent, and why. */
  readonly eventsRefused?: {
    readonly endpointId: string;
    readonly events: unknown;
    readonly message: string;
  };
}

/**
 * The admin's Webhooks page: a notice for each endpoint the service turned
 * off (until an admin turns it on or deletes it), the registration form
 * (as typed after a refusal), a new endpoint's secret this once, and each
 * endpoint with its state, events, actions and newest deliveries. Times in
 * the clinic's zone.
 */
export function webhooksPageView(state: WebhooksPageState) {
  const { time } = state;
  const checked = state.typed ? typedEvents(state.typed.events) : [...WEBHOOK_EVENT_TYPES];
  return {
    title: 'Webhooks',
    localHttp: state.localHttp,
    done: state.done ? DONE[state.done] : undefined,
    failure: state.failure,
    eventsRefused: refusedAt(state),
    secret: state.secret && {
      ...state.secret,
      url: state.endpoints.find((endpoint) => endpoint.id === state.secret?.endpointId)?.url,
    },
    registerRefused: state.typed !== undefined,
    register: {
      url: typeof state.typed?.url === 'string' ? state.typed.url : '',
      events: eventChoices('register', checked),
    },
    turnedOff: state.endpoints
      .filter((endpoint) => endpoint.disabledAt && endpoint.disabledReason !== 'admin')
      .map((endpoint) => ({ id: endpoint.id, url: endpoint.url, note: offNote(endpoint, time) })),
    endpoints: state.endpoints.map((endpoint, i) => {
      const refused = state.eventsRefused?.endpointId === endpoint.id ? state.eventsRefused : null;
      return {
        id: endpoint.id,
        url: endpoint.url,
        on: !endpoint.disabledAt,
        created: time.minute(endpoint.createdAt),
        note: endpoint.disabledAt ? offNote(endpoint, time) : failingNote(endpoint, time),
        prefix: `endpoint-${i}`,
        eventsError: refused?.message,
        events: eventChoices(
          `endpoint-${i}`,
          refused ? typedEvents(refused.events) : endpoint.events,
        ),
        deliveries: endpoint.deliveries.map((delivery) => deliveryRow(delivery, time)),
      };
    }),
  };
}

/** A refused events form's message, and the first box of its endpoint, where the summary leads. */
function refusedAt(state: WebhooksPageState) {
  const refused = state.eventsRefused;
  const index = state.endpoints.findIndex((endpoint) => endpoint.id === refused?.endpointId);
  if (!refused || index < 0) return undefined;
  return { message: refused.message, href: `#endpoint-${index}-event-0` };
}

/** The checkboxes of one form; `prefix` keeps their ids apart on the page. */
function eventChoices(prefix: string, checked: readonly string[]) {
  return WEBHOOK_EVENT_TYPES.map((type, i) => ({
    value: type,
    label: WEBHOOK_TYPE_LABELS[type],
    // The registration form's first box is where an error about the events leads.
    id: prefix === 'register' && i === 0 ? 'field-events' : `${prefix}-event-${i}`,
    checked: checked.includes(type),
  }));
}

/** The events as a refused form sent them: none, one or several. */
function typedEvents(events: unknown): WebhookEventType[] {
  const list: unknown[] = Array.isArray(events) ? events : [events];
  return WEBHOOK_EVENT_TYPES.filter((type) => list.includes(type));
}

function failingNote(endpoint: WebhookEndpointSummaryDto, time: ClinicTime): string | undefined {
  if (!endpoint.failingSince) return undefined;
  return `No delivery has succeeded since ${time.minute(endpoint.failingSince)}: it is turned off after a day of failures.`;
}

function offNote(endpoint: WebhookEndpointSummaryDto, time: ClinicTime): string {
  const when = time.minute(endpoint.disabledAt);
  switch (endpoint.disabledReason) {
    case 'gone':
      return `Off since ${when}: it answered “410 Gone”, which asks for no more deliveries.`;
    case 'failing':
      return `Off since ${when}: no delivery to it had succeeded for a day${
        endpoint.failingSince ? ` (since ${time.minute(endpoint.failingSince)})` : ''
      }.`;
    case 'admin':
    case null:
      return `Off since ${when}: turned off by an admin.`;
  }
}

/** How each status looks in the log (the page's state classes). */
const LOOKS: Readonly<Record<WebhookDeliveryStatus, string>> = {
  sent: 'success',
  pending: 'invited',
  sending: 'invited',
  failed: 'failure',
  cancelled: 'deactivated',
};

/** One line of an endpoint's log: what, when, how many tries, and what became of it. */
function deliveryRow(delivery: WebhookDeliveryDto, time: ClinicTime) {
  return {
    eventId: delivery.eventId,
    type: delivery.type,
    typeLabel: WEBHOOK_TYPE_LABELS[delivery.type],
    made: time.minute(delivery.createdAt),
    attempts: delivery.attempts,
    outcome: outcomeOf(delivery, time),
    look: LOOKS[delivery.status],
  };
}

function outcomeOf(delivery: WebhookDeliveryDto, time: ClinicTime): string {
  const problem = problemOf(delivery);
  switch (delivery.status) {
    case 'sent':
      return `Delivered ${time.minute(delivery.sentAt)} (HTTP ${delivery.lastHttpStatus})`;
    case 'sending':
      return 'Being sent';
    case 'pending':
      return problem
        ? `Failed: ${problem}; trying again ${time.minute(delivery.nextAttemptAt)}`
        : 'Waiting to be sent';
    case 'failed':
      return `Failed after ${delivery.attempts} tries: ${problem}`;
    case 'cancelled':
      return `Not sent: the endpoint was turned off${problem ? ` (last try: ${problem})` : ''}`;
  }
}

function problemOf(delivery: WebhookDeliveryDto): string | undefined {
  if (!delivery.lastProblem) return undefined;
  const label = WEBHOOK_PROBLEM_LABELS[delivery.lastProblem];
  return delivery.lastHttpStatus ? `${label} (HTTP ${delivery.lastHttpStatus})` : label;
}
