import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../src/app';
import { AuditService } from '../src/audit/audit.service';
import type { PatientActor } from '../src/auth/actor';
import { Clock } from '../src/common/clock';
import { SqlParams } from '../src/common/sql-params';
import { IntakeRepository } from '../src/intake/intake.repository';
import { PatientEntity } from '../src/patients/patient.entity';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher';
import { WebhookEvents } from '../src/webhooks/webhook-events';
import { RETRY_DELAYS_MS } from '../src/webhooks/webhook-schedule';
import { submitIntake, TYPICAL_ANSWERS } from './support/intake-flow';
import { MailServer } from './support/mail-server';
import { startPatientSession } from './support/patient-link';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';
import { ReceivedWebhook, verifyWebhook, WebhookReceiver } from './support/webhook-receiver';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/*
 * An integrator's view of webhooks, through the real service: an admin
 * registers a receiver running in this test process on the Webhooks page,
 * and copies the secret shown once; patients and clinicians work as usual;
 * the receiver gets each event, signed, and checks it with its own code
 * (test/support/webhook-receiver.ts, written from the Standard Webhooks
 * text, not the service's). Two instances of the service share the
 * database; the service's clock is moved forward for retries and the
 * one-day rule; a real SMTP server takes the admins' email.
 */
describe('webhooks, as an integrator receives them', () => {
  let t: TestApp;
  let second: NestExpressApplication;
  let dispatchers: WebhookDispatcher[];
  let receiver: WebhookReceiver;
  let mail: MailServer;
  let adminA: TestUser;
  let doctorA: TestUser;
  let adminB: TestUser;
  let doctorB: TestUser;
  let clinicA: string;
  /** The receiver's main path for clinic A, registered in the first test. */
  let main: { id: string; secret: string };
  /** How far ahead of the real time the service's clock is. */
  let ahead = 0;

  const serviceNow = () => new Date(Date.now() + ahead);
  const advance = (ms: number) => (ahead += ms);

  beforeAll(async () => {
    jest.spyOn(Clock.prototype, 'now').mockImplementation(serviceNow);
    mail = await MailServer.start();
    receiver = await WebhookReceiver.start();
    t = await startTestApp({
      SMTP_URL: mail.url,
      MAIL_FROM: 'Appointments <no-reply@c.example>',
      // Shared by both instances, as in any deployment: it seals the signing secrets.
      SESSION_SECRET: 'webhooks-test-session-secret-of-at-least-32-characters',
    });
    second = await createApp(t.config, { url: t.database.serviceUrl, embedded: false });
    await second.init();
    dispatchers = [t.app.get(WebhookDispatcher), second.get(WebhookDispatcher)];
    const a = await createClinic(t.dataSource, 'Northside Hormone Clinic');
    const b = await createClinic(t.dataSource, 'Southside Clinic');
    clinicA = a.id;
    adminA = await createUser(t.dataSource, a, { email: 'admin@north.test', role: 'admin' });
    doctorA = await createUser(t.dataSource, a, { email: 'doc@north.test' });
    adminB = await createUser(t.dataSource, b, { email: 'admin@south.test', role: 'admin' });
    doctorB = await createUser(t.dataSource, b, { email: 'doc@south.test' });
  });
  afterAll(async () => {
    await second.close();
    await t.close();
    await receiver.close();
    await mail.close();
    jest.restoreAllMocks();
  });

  /** Signed in now (the clock may have jumped past the last session's end). */
  const as = (user: TestUser) => signIn(t.server, user);

  /** Posts a form as the page does: repeated names (the event boxes) stay repeated. */
  async function postForm(client: Browser, path: string, fields: [string, string][]) {
    const token = await client.csrf();
    return client.agent
      .post(path)
      .set('Accept', 'text/html')
      .type('form')
      .send(new URLSearchParams([['_csrf', token], ...fields]).toString());
  }

  const page = async (client: Browser) =>
    (await client.agent.get('/admin/webhooks').set('Accept', 'text/html')).text;

  /** The admin registers `path` of the receiver on the page, and copies the secret it shows once. */
  async function register(
    admin: TestUser,
    path: string,
    events = ['intake.submitted', 'review.completed', 'handout.ready'],
  ): Promise<{ id: string; secret: string; client: Browser }> {
    const client = await as(admin);
    const posted = await postForm(client, '/admin/webhooks', [
      ['url', receiver.url(path)],
      ...events.map((event): [string, string] => ['events', event]),
    ]);
    expect(posted.status).toBe(303);
    const html = await page(client);
    const shown = /id="new-secret-value"[^>]*value="([^"]+)"/.exec(html)?.[1];
    if (!shown) throw new Error('No secret on the page');
    const [{ id }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM webhook_endpoints WHERE url = $1`,
      [receiver.url(path)],
    );
    return { id, secret: shown.replace(/&#x3D;/g, '='), client };
  }

  /**
   * Both instances try what is due, twice each, all at once; then waits
   * for any try a background poll started to end.
   */
  async function deliverDue(): Promise<void> {
    await Promise.all([...dispatchers, ...dispatchers].map((d) => d.sendDue()));
    for (let waited = 0; waited < 15_000; waited += 50) {
      const [{ sending }] = await t.dataSource.query<{ sending: number }[]>(
        `SELECT count(*)::int AS sending FROM webhook_deliveries WHERE status = 'sending'`,
      );
      if (sending === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('A delivery stayed in sending');
  }

  const bodyOf = (delivery: ReceivedWebhook) =>
    JSON.parse(delivery.body) as { type: string; timestamp: string; data: Record<string, string> };

  /** Nothing in the body but ids and the handout's kind and paper: no name, answer or protocol. */
  function expectIdsOnly(delivery: ReceivedWebhook, patient: PatientEntity): void {
    const { data } = bodyOf(delivery);
    for (const [key, value] of Object.entries(data)) {
      if (key === 'kind') expect(['clinician', 'patient']).toContain(value);
      else if (key === 'paper') expect(['a4', 'letter']).toContain(value);
      else expect(value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    const words = [patient.givenName, patient.familyName, 'trt', 'Northside', 'male', '40-49'];
    for (const word of [...words, ...Object.keys(TYPICAL_ANSWERS.sleep)]) {
      expect(delivery.body.toLowerCase()).not.toContain(word.toLowerCase());
    }
  }

  async function patientOf(owner: TestUser, givenName: string): Promise<PatientEntity> {
    return createPatient(t.dataSource, owner, { givenName, familyName: 'Quartermaine' });
  }

  /** A patient of clinic A sends an intake, and a clinician completes its review. */
  async function completeAReview(givenName: string): Promise<void> {
    const doctor = await as(doctorA);
    const patient = await patientOf(doctorA, givenName);
    const { intake } = await submitIntake(t.server, t.dataSource, doctor, patient);
    const completed = await postForm(doctor, `/intakes/${intake.id}/review`, [['confirm', 'yes']]);
    expect(completed.status).toBe(303);
  }

  const deliveriesTo = (endpointId: string) =>
    t.dataSource.query<
      {
        event_type: string;
        status: string;
        attempts: number;
        last_problem: string | null;
        last_http_status: number | null;
        next_attempt_at: Date | null;
      }[]
    >(
      `SELECT event_type, status, attempts, last_problem, last_http_status, next_attempt_at
       FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at, id`,
      [endpointId],
    );

  it('registers on the page, shows the secret once, and delivers intake.submitted signed, with ids only', async () => {
    const registered = await register(adminA, '/north');
    main = registered;
    expect(main.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // Shown once: the page no longer has it; the database has it sealed only.
    expect(await page(registered.client)).not.toContain('whsec_');
    const [stored] = await t.dataSource.query<{ secret_sealed: Buffer }[]>(
      `SELECT secret_sealed FROM webhook_endpoints WHERE id = $1`,
      [main.id],
    );
    const raw = Buffer.from(main.secret.slice('whsec_'.length), 'base64');
    expect(stored.secret_sealed.includes(raw)).toBe(false);

    const patient = await patientOf(doctorA, 'Ottoline');
    const { intake } = await submitIntake(t.server, t.dataSource, await as(doctorA), patient);
    await deliverDue();

    const [delivery, ...more] = receiver.at('/north');
    expect(more).toEqual([]);
    expect(delivery.method).toBe('POST');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(verifyWebhook(main.secret, delivery, serviceNow())).toBe(true);
    expect(
      verifyWebhook(main.secret, { ...delivery, body: `${delivery.body} ` }, serviceNow()),
    ).toBe('no signature matches');
    const body = bodyOf(delivery);
    expect(body).toEqual({
      type: 'intake.submitted',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      data: { intakeId: intake.id, patientId: patient.id, invitationId: intake.invitationId },
    });
    expectIdsOnly(delivery, patient);
    const [row] = await t.dataSource.query<{ event_id: string }[]>(
      `SELECT event_id FROM webhook_deliveries WHERE endpoint_id = $1`,
      [main.id],
    );
    expect(delivery.headers['webhook-id']).toBe(row.event_id);
    expect(await page(await as(adminA))).toMatch(/Delivered [^<]* \(HTTP 204\)/);
  });

  it('delivers review.completed when a clinician completes the review, and handout.ready when a handout is stored', async () => {
    const patient = await patientOf(doctorA, 'Perpetua');
    const doctor = await as(doctorA);
    const { intake, assessment } = await submitIntake(t.server, t.dataSource, doctor, patient);
    const handout = await doctor.agent.get(
      `/api/assessments/${assessment.id}/handouts/clinician?paper=letter`,
    );
    expect(handout.status).toBe(200);
    const completed = await postForm(doctor, `/intakes/${intake.id}/review`, [['confirm', 'yes']]);
    expect(completed.status).toBe(303);
    const before = receiver.at('/north').length;
    await deliverDue();

    const received = receiver.at('/north').slice(before);
    expect(received.map((delivery) => bodyOf(delivery).type).sort()).toEqual([
      'handout.ready',
      'intake.submitted',
      'review.completed',
    ]);
    for (const delivery of received) {
      expect(verifyWebhook(main.secret, delivery, serviceNow())).toBe(true);
      expectIdsOnly(delivery, patient);
    }
    const byType = new Map(received.map((delivery) => [bodyOf(delivery).type, bodyOf(delivery)]));
    expect(byType.get('review.completed')?.data).toEqual({
      intakeId: intake.id,
      patientId: patient.id,
    });
    const [stored] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM handouts WHERE assessment_id = $1`,
      [assessment.id],
    );
    expect(byType.get('handout.ready')?.data).toEqual({
      handoutId: stored.id,
      kind: 'clinician',
      paper: 'letter',
      assessmentId: assessment.id,
      intakeId: intake.id,
      patientId: patient.id,
    });

    // Completing again, downloading again: nothing changed, nothing is sent.
    await postForm(doctor, `/intakes/${intake.id}/review`, [['confirm', 'yes']]);
    await doctor.agent.get(`/api/assessments/${assessment.id}/handouts/clinician?paper=letter`);
    await deliverDue();
    expect(receiver.at('/north').length).toBe(before + 3);
  });

  it('retries a receiver that fails (500, then no answer) with backoff, the same webhook-id each time, until it takes it', async () => {
    const path = '/north-flaky';
    receiver.answers.set(path, 'fail');
    const flaky = await register(adminA, path, ['review.completed']);
    const patient = await patientOf(doctorA, 'Wilhelmina');
    const doctor = await as(doctorA);
    const { intake } = await submitIntake(t.server, t.dataSource, doctor, patient);
    await postForm(doctor, `/intakes/${intake.id}/review`, [['confirm', 'yes']]);

    await deliverDue();
    expect(receiver.at(path)).toHaveLength(1);
    expect(await deliveriesTo(flaky.id)).toMatchObject([
      { status: 'pending', attempts: 1, last_problem: 'status', last_http_status: 500 },
    ]);

    // Not before its minute (at most a tenth more); then no answer at all, until the time limit.
    advance(50_000);
    await deliverDue();
    expect(receiver.at(path)).toHaveLength(1);
    receiver.answers.set(path, 'hang');
    advance(20_000);
    await deliverDue();
    expect(receiver.at(path)).toHaveLength(2);
    const [second] = await deliveriesTo(flaky.id);
    expect(second).toMatchObject({ status: 'pending', attempts: 2, last_problem: 'timeout' });
    const wait = second.next_attempt_at!.getTime() - serviceNow().getTime();
    expect(wait).toBeGreaterThan(4.5 * MINUTE);
    expect(wait).toBeLessThanOrEqual(5.5 * MINUTE);
    expect(await page(await as(adminA))).toContain('Failed: no answer within 10 seconds');

    receiver.answers.set(path, 'ok');
    advance(6 * MINUTE);
    await deliverDue();
    const tries = receiver.at(path);
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((delivery) => delivery.headers['webhook-id'])).size).toBe(1);
    expect(new Set(tries.map((delivery) => delivery.headers['webhook-timestamp'])).size).toBe(3);
    expect(new Set(tries.map((delivery) => delivery.body)).size).toBe(1);
    expect(verifyWebhook(flaky.secret, tries[2], serviceNow())).toBe(true);
    expect(await deliveriesTo(flaky.id)).toMatchObject([{ status: 'sent', attempts: 3 }]);
    const [endpoint] = await t.dataSource.query<{ failing_since: Date | null }[]>(
      `SELECT failing_since FROM webhook_endpoints WHERE id = $1`,
      [flaky.id],
    );
    expect(endpoint.failing_since).toBeNull();
  }, 60_000);

  it('turns off an endpoint that has failed for a day, once, tells its admins, and sends it nothing more', async () => {
    const path = '/north-down';
    receiver.answers.set(path, 'fail');
    const down = await register(adminA, path, ['review.completed']);
    const tested = await postForm(down.client, `/admin/webhooks/${down.id}/test`, []);
    expect(tested.status).toBe(303);
    expect(receiver.at(path)).toHaveLength(1);

    // Each retry of the test event as it comes due, on both instances; before the last, a review.
    for (let round = 0; round < 10; round++) {
      const [endpoint] = await t.dataSource.query<{ disabled_at: Date | null }[]>(
        `SELECT disabled_at FROM webhook_endpoints WHERE id = $1`,
        [down.id],
      );
      if (endpoint.disabled_at) break;
      const [waiting] = await deliveriesTo(down.id);
      expect(waiting).toMatchObject({ status: 'pending', attempts: round + 1 });
      ahead += waiting.next_attempt_at!.getTime() - serviceNow().getTime() + 1_000;
      if (waiting.attempts === 7) await completeAReview('Cornelius');
      await deliverDue();
    }

    const [endpoint] = await t.dataSource.query<
      { disabled_at: Date; disabled_reason: string; failing_since: Date }[]
    >(`SELECT disabled_at, disabled_reason, failing_since FROM webhook_endpoints WHERE id = $1`, [
      down.id,
    ]);
    expect(endpoint.disabled_reason).toBe('failing');
    const failedFor = endpoint.disabled_at.getTime() - endpoint.failing_since.getTime();
    expect(failedFor).toBeGreaterThanOrEqual(24 * HOUR);
    // At the try after a day: the schedule's last (its waits add up to 44.6 h, each up to a tenth more).
    const schedule = RETRY_DELAYS_MS.reduce((sum, wait) => sum + wait, 0);
    expect(failedFor).toBeLessThanOrEqual(1.1 * schedule + 8 * MINUTE);
    // Nothing waits any more: the delivery whose try crossed the day ended failed (at the schedule's
    // end) or cancelled with the turn-off, and the other was cancelled; which of the two crossed it
    // depends on which instance (or background poll) took which first. The failure is on record.
    const ended = await deliveriesTo(down.id);
    expect(ended.map((row) => row.event_type).sort()).toEqual(['review.completed', 'webhook.test']);
    for (const row of ended) expect(['cancelled', 'failed']).toContain(row.status);
    expect(ended.some((row) => row.last_problem === 'status')).toBe(true);
    expect(ended.find((row) => row.event_type === 'webhook.test')!.attempts).toBeGreaterThanOrEqual(
      7,
    );
    const tries = receiver.at(path).length;

    const turns = await t.dataSource.query<{ actor_type: string; detail: { reason: string } }[]>(
      `SELECT actor_type, detail FROM audit_events WHERE action = 'webhook.disable' AND target_id = $1`,
      [down.id],
    );
    expect(turns).toEqual([
      { actor_type: 'system', detail: expect.objectContaining({ reason: 'failing' }) as unknown },
    ]);
    const [told] = mail.to(adminA.email);
    expect(told.subject).toBe('A webhook endpoint of your clinic was turned off');
    expect(told.text).toContain(new URL(receiver.url(path)).host);
    expect(told.text).not.toContain(path);
    expect(told.text).toContain('/admin/webhooks');
    expect(mail.to(adminB.email)).toEqual([]);
    const html = await page(await as(adminA));
    expect(html).toMatch(/role="alert">\s*<h2>An endpoint was turned off<\/h2>/);
    expect(html).toContain('no delivery to it had succeeded for a day');

    // Nothing more: a new event makes no delivery for it, and a test is refused.
    await completeAReview('Hermione');
    await deliverDue();
    expect(await deliveriesTo(down.id)).toHaveLength(2);
    expect(receiver.at(path)).toHaveLength(tries);
    const refused = await postForm(await as(adminA), `/admin/webhooks/${down.id}/test`, []);
    expect(refused.status).toBe(409);
    expect(receiver.at(path)).toHaveLength(tries);

    // Turned on again, it takes events anew.
    receiver.answers.set(path, 'ok');
    const admin = await as(adminA);
    expect((await postForm(admin, `/admin/webhooks/${down.id}/enable`, [])).status).toBe(303);
    expect((await postForm(admin, `/admin/webhooks/${down.id}/test`, [])).status).toBe(303);
    expect(receiver.at(path)).toHaveLength(tries + 1);
    expect(await page(admin)).not.toContain('An endpoint was turned off');
  }, 60_000);

  it('delivers each event once, however many instances try at the same moment', async () => {
    const events = t.app.get(WebhookEvents);
    const before = receiver.at('/north').length;
    for (let i = 0; i < 30; i++) {
      await t.dataSource.transaction((manager) =>
        events.emit(manager, clinicA, {
          type: 'review.completed',
          data: { intakeId: randomUUID(), patientId: randomUUID() },
        }),
      );
    }
    await Promise.all([deliverDue(), deliverDue()]);
    const received = receiver.at('/north').slice(before);
    expect(received).toHaveLength(30);
    expect(new Set(received.map((delivery) => delivery.headers['webhook-id'])).size).toBe(30);
  });

  it("keeps clinics apart: another clinic's admin sees none of the endpoints (404 on every action), and gets none of the events", async () => {
    const south = await register(adminB, '/south', ['intake.submitted']);
    const admin = await as(adminB);
    const html = await page(admin);
    expect(html).toContain(receiver.url('/south'));
    expect(html).not.toContain(receiver.url('/north'));
    const before = await deliveriesTo(main.id);
    for (const action of ['test', 'enable', 'disable', 'delete', 'events']) {
      const response = await postForm(admin, `/admin/webhooks/${main.id}/${action}`, [
        ['events', 'handout.ready'],
      ]);
      expect(`${action} ${response.status}`).toBe(`${action} 404`);
    }
    const [endpoint] = await t.dataSource.query<{ events: string[]; disabled_at: Date | null }[]>(
      `SELECT events, disabled_at FROM webhook_endpoints WHERE id = $1`,
      [main.id],
    );
    expect(endpoint).toEqual({
      events: ['intake.submitted', 'review.completed', 'handout.ready'],
      disabled_at: null,
    });
    expect(await deliveriesTo(main.id)).toEqual(before);

    // An intake at each clinic: each endpoint gets its own clinic's event only.
    const northPatient = await patientOf(doctorA, 'Araminta');
    const southPatient = await patientOf(doctorB, 'Bartholomew');
    const north = await submitIntake(t.server, t.dataSource, await as(doctorA), northPatient);
    const southIntake = await submitIntake(t.server, t.dataSource, await as(doctorB), southPatient);
    await deliverDue();
    const atSouth = receiver.at('/south').map(bodyOf);
    expect(atSouth.map((body) => body.data.intakeId)).toEqual([southIntake.intake.id]);
    expect(verifyWebhook(south.secret, receiver.at('/south')[0], serviceNow())).toBe(true);
    const atNorth = receiver.at('/north').map(bodyOf);
    expect(atNorth.map((body) => body.data.intakeId)).toContain(north.intake.id);
    expect(atNorth.map((body) => body.data.intakeId)).not.toContain(southIntake.intake.id);
  });

  it('sends a signed test event from the page, and shows it in the log', async () => {
    const admin = await as(adminA);
    const before = receiver.at('/north').length;
    const sent = await postForm(admin, `/admin/webhooks/${main.id}/test`, []);
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/admin/webhooks?done=test#endpoint-${main.id}`);
    const [delivery, ...more] = receiver.at('/north').slice(before);
    expect(more).toEqual([]);
    expect(verifyWebhook(main.secret, delivery, serviceNow())).toBe(true);
    expect(bodyOf(delivery)).toMatchObject({ type: 'webhook.test', data: { endpointId: main.id } });
    const html = (await admin.agent.get(sent.headers.location).set('Accept', 'text/html')).text;
    expect(html).toContain('A test event was sent');
    expect(html).toMatch(/A test event, sent from this page[\s\S]*?Delivered/);
  });

  it('makes no delivery for a change that rolled back', async () => {
    // A review whose transaction fails after the intake was marked reviewed.
    const patient = await patientOf(doctorA, 'Ignatius');
    const doctor = await as(doctorA);
    const { intake } = await submitIntake(t.server, t.dataSource, doctor, patient);
    await deliverDue();
    const formToken = await doctor.csrf();
    jest
      .spyOn(AuditService.prototype, 'recordByUser')
      .mockRejectedValueOnce(new Error('The audit log is unavailable'));
    const failed = await doctor.agent
      .post(`/intakes/${intake.id}/review`)
      .type('form')
      .send({ _csrf: formToken, confirm: 'yes' });
    expect(failed.status).toBe(500);
    const [state] = await t.dataSource.query<{ status: string }[]>(
      `SELECT status FROM intakes WHERE id = $1`,
      [intake.id],
    );
    expect(state.status).toBe('submitted');

    // A submission that loses to a change made since it read the intake.
    const other = await patientOf(doctorA, 'Leopoldina');
    const { client, token } = await startPatientSession(t.server, await as(doctorA), other);
    await client.agent.put('/api/intake/answers').set('X-CSRF-Token', token).send(TYPICAL_ANSWERS);
    const [opened] = await t.dataSource.query<{ id: string; invitation_id: string }[]>(
      `SELECT i.id, i.invitation_id FROM intakes i WHERE i.patient_id = $1`,
      [other.id],
    );
    const actor: PatientActor = {
      kind: 'patient',
      sessionId: '',
      invitationId: opened.invitation_id,
      clinicId: clinicA,
      patientId: other.id,
      protocol: 'trt',
    };
    const repository = t.app.get(IntakeRepository);
    const read = await repository.findForSubmit(actor);
    await repository.saveAnswers(actor, { ...read!.answers, hoursAsleep: 8 }, 'sleep', new Date());
    const submittedEvent = {
      type: 'intake.submitted',
      data: { intakeId: opened.id, patientId: other.id, invitationId: opened.invitation_id },
    } as const;
    const webhookPart = (params: SqlParams, submitted: string) =>
      t.app.get(WebhookEvents).insertSql(clinicA, submittedEvent, params, submitted);
    expect(await repository.submit(read!, new Date(), {}, [webhookPart])).toBe(false);

    const made = await t.dataSource.query<{ event_type: string }[]>(
      `SELECT event_type FROM webhook_deliveries WHERE data->>'intakeId' = ANY ($1)`,
      [[intake.id, opened.id]],
    );
    // The first intake's own submission only: no review.completed, nothing of the second.
    expect(made.map((row) => row.event_type)).toEqual(['intake.submitted']);
  });
});
