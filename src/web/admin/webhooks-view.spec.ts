import { ClinicTime } from '../../common/clinic-time';
import { WebhookDeliveryDto, WebhookEndpointSummaryDto } from '../../webhooks/webhook.dto';
import { webhooksPageView } from './webhooks-view';

const time = new ClinicTime('Europe/Berlin');
const at = (iso: string) => new Date(iso);

const endpoint = (
  overrides: Partial<WebhookEndpointSummaryDto> = {},
): WebhookEndpointSummaryDto => ({
  id: 'e1',
  url: 'https://hooks.example.org/intake',
  events: ['intake.submitted', 'handout.ready'],
  createdAt: at('2026-12-01T08:00:00Z'),
  disabledAt: null,
  disabledReason: null,
  failingSince: null,
  deliveries: [],
  ...overrides,
});

const delivery = (overrides: Partial<WebhookDeliveryDto>): WebhookDeliveryDto => ({
  eventId: 'v1',
  type: 'intake.submitted',
  createdAt: at('2026-12-06T09:00:00Z'),
  status: 'sent',
  attempts: 1,
  nextAttemptAt: null,
  lastAttemptAt: at('2026-12-06T09:00:01Z'),
  lastProblem: null,
  lastHttpStatus: 204,
  sentAt: at('2026-12-06T09:00:01Z'),
  ...overrides,
});

const view = (state: Partial<Parameters<typeof webhooksPageView>[0]>) =>
  webhooksPageView({ endpoints: [endpoint()], time, localHttp: false, ...state });

describe('webhooksPageView', () => {
  it('offers every event, all checked, on a fresh registration form', () => {
    const { register, registerRefused } = view({});
    expect(registerRefused).toBe(false);
    expect(register.url).toBe('');
    expect(register.events.map((e) => [e.id, e.value, e.checked])).toEqual([
      ['field-events', 'intake.submitted', true],
      ['register-event-1', 'review.completed', true],
      ['register-event-2', 'handout.ready', true],
    ]);
  });

  it('keeps what was typed in a refused registration: the address, and the boxes as sent', () => {
    const one = view({ typed: { url: 'http://hooks.example.org', events: 'handout.ready' } });
    expect(one.registerRefused).toBe(true);
    expect(one.register.url).toBe('http://hooks.example.org');
    expect(one.register.events.filter((e) => e.checked).map((e) => e.value)).toEqual([
      'handout.ready',
    ]);
    const none = view({ typed: { url: 'x' } });
    expect(none.register.events.some((e) => e.checked)).toBe(false);
  });

  it("shows each endpoint's events, with ids that differ between endpoints", () => {
    const { endpoints } = view({ endpoints: [endpoint(), endpoint({ id: 'e2' })] });
    expect(endpoints[0].events.filter((e) => e.checked).map((e) => e.value)).toEqual([
      'intake.submitted',
      'handout.ready',
    ]);
    const ids = endpoints.flatMap((e) => e.events.map((box) => box.id));
    expect(new Set(ids).size).toBe(6);
  });

  it("shows an endpoint's refused events as sent, with the message at its boxes and a link to them", () => {
    const page = view({
      endpoints: [endpoint(), endpoint({ id: 'e2' })],
      eventsRefused: { endpointId: 'e2', events: undefined, message: 'Choose at least one event.' },
    });
    expect(page.eventsRefused).toEqual({
      message: 'Choose at least one event.',
      href: '#endpoint-1-event-0',
    });
    expect(page.endpoints[0].eventsError).toBeUndefined();
    expect(page.endpoints[0].events.some((e) => e.checked)).toBe(true);
    expect(page.endpoints[1].eventsError).toBe('Choose at least one event.');
    expect(page.endpoints[1].events.some((e) => e.checked)).toBe(false);
  });

  it('says in the clinic’s zone what became of each delivery', () => {
    const { endpoints } = view({
      endpoints: [
        endpoint({
          deliveries: [
            delivery({}),
            delivery({ status: 'pending', attempts: 0, lastProblem: null, lastHttpStatus: null }),
            delivery({
              status: 'pending',
              attempts: 2,
              lastProblem: 'status',
              lastHttpStatus: 503,
              nextAttemptAt: at('2026-12-06T09:06:00Z'),
              sentAt: null,
            }),
            delivery({ status: 'sending', sentAt: null }),
            delivery({
              status: 'failed',
              attempts: 8,
              lastProblem: 'timeout',
              lastHttpStatus: null,
            }),
            delivery({ status: 'cancelled', lastProblem: 'tls', lastHttpStatus: null }),
          ],
        }),
      ],
    });
    expect(endpoints[0].deliveries.map((d) => [d.outcome, d.look])).toEqual([
      ['Delivered 2026-12-06 10:00 (HTTP 204)', 'success'],
      ['Waiting to be sent', 'invited'],
      [
        'Failed: the endpoint answered with an error (HTTP 503); trying again 2026-12-06 10:06',
        'invited',
      ],
      ['Being sent', 'invited'],
      ['Failed after 8 tries: no answer within 10 seconds', 'failure'],
      [
        'Not sent: the endpoint was turned off (last try: its certificate or encryption was refused (TLS))',
        'deactivated',
      ],
    ]);
    expect(endpoints[0].deliveries[0]).toMatchObject({
      typeLabel: 'A patient sent their intake',
      made: '2026-12-06 10:00',
    });
  });

  it('tells the admin, at the top, of each endpoint the service turned off, and why', () => {
    const failing = endpoint({
      disabledAt: at('2026-12-07T09:00:00Z'),
      disabledReason: 'failing',
      failingSince: at('2026-12-06T08:30:00Z'),
    });
    const gone = endpoint({
      id: 'e2',
      disabledAt: at('2026-12-07T10:00:00Z'),
      disabledReason: 'gone',
    });
    const byAdmin = endpoint({
      id: 'e3',
      disabledAt: at('2026-12-07T11:00:00Z'),
      disabledReason: 'admin',
    });
    const page = view({ endpoints: [failing, gone, byAdmin] });
    expect(page.turnedOff.map((off) => [off.id, off.note])).toEqual([
      [
        'e1',
        'Off since 2026-12-07 10:00: no delivery to it had succeeded for a day (since 2026-12-06 09:30).',
      ],
      [
        'e2',
        'Off since 2026-12-07 11:00: it answered “410 Gone”, which asks for no more deliveries.',
      ],
    ]);
    expect(page.endpoints.map((e) => [e.on, e.note])).toEqual([
      [false, page.turnedOff[0].note],
      [false, page.turnedOff[1].note],
      [false, 'Off since 2026-12-07 12:00: turned off by an admin.'],
    ]);
  });

  it('warns while an endpoint that is on keeps failing', () => {
    const page = view({ endpoints: [endpoint({ failingSince: at('2026-12-06T08:30:00Z') })] });
    expect(page.endpoints[0]).toMatchObject({
      on: true,
      note: 'No delivery has succeeded since 2026-12-06 09:30: it is turned off after a day of failures.',
    });
    expect(view({}).endpoints[0].note).toBeUndefined();
  });

  it('shows a new secret with the address it belongs to, and the notice after a form', () => {
    const page = view({ secret: { endpointId: 'e1', secret: 'whsec_abc' }, done: 'off' });
    expect(page.secret).toEqual({
      endpointId: 'e1',
      secret: 'whsec_abc',
      url: 'https://hooks.example.org/intake',
    });
    expect(page.done).toMatch(/^Turned off\./);
    expect(view({ done: 'anything' }).done).toBeUndefined();
  });
});
