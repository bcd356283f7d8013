import { NestExpressApplication } from '@nestjs/platform-express';
import type { ParsedMail } from 'mailparser';
import { createApp } from '../src/app';
import { Clock } from '../src/common/clock';
import { InvitationOutbox } from '../src/invitations/invitation-outbox';
import { MailTemplates } from '../src/mail/mail-templates';
import { PatientEntity } from '../src/patients/patient.entity';
import { findDosingAdvice } from '../src/safety/dosing-guard';
import { TYPICAL_ANSWERS } from './support/intake-flow';
import { healthWordsIn, MailServer } from './support/mail-server';
import { answerConsent } from './support/patient-link';
import {
  Browser,
  browser,
  createClinic,
  createPatient,
  createUser,
  csrfFrom,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

const MINUTE = 60_000;
const DAY = 86_400_000;

interface Made {
  id: string;
  link: string;
  email: { status: string; attempts: number; problem: string | null } | null;
}

/*
 * Reminders and retries of the emails to patients, against a real SMTP
 * server in this process and two instances of the service on one database,
 * with the service's clock moved forward by the test: the invitation and the
 * clinic's reminders arrive on their days, each once although both
 * instances look for due emails at the same moments; none after the intake
 * is sent, the link ends, the patient is archived or says stop; a refused
 * send is retried with backoff and then shown as failed.
 */
describe('reminders and retries of emails to patients, from two instances', () => {
  let mail: MailServer;
  let t: TestApp;
  let second: NestExpressApplication;
  let outboxes: InvitationOutbox[];
  let owner: TestUser;
  let adminUser: TestUser;
  /** How far ahead of the real time the service's clock is. */
  let ahead = 0;
  const CLINIC = 'Eastside Hormone Clinic';

  beforeAll(async () => {
    jest.spyOn(Clock.prototype, 'now').mockImplementation(() => new Date(Date.now() + ahead));
    mail = await MailServer.start();
    t = await startTestApp({ SMTP_URL: mail.url, MAIL_FROM: 'Appointments <no-reply@c.example>' });
    second = await createApp(t.config, { url: t.database.serviceUrl, embedded: false });
    await second.init();
    outboxes = [t.app.get(InvitationOutbox), second.get(InvitationOutbox)];
    const clinic = await createClinic(t.dataSource, CLINIC);
    owner = await createUser(t.dataSource, clinic, { email: 'doc@reminders.test' });
    adminUser = await createUser(t.dataSource, clinic, {
      email: 'admin@reminders.test',
      role: 'admin',
    });
  });
  afterAll(async () => {
    await second.close();
    await t.close();
    await mail.close();
    jest.restoreAllMocks();
  });
  beforeEach(() => {
    mail.mode = 'accept';
    mail.refused.clear();
  });

  /** Moves the service's clock; sessions made before may have timed out. */
  const advance = (ms: number) => (ahead += ms);
  /** A clinician signed in now (the clock may have jumped days since the last sign-in). */
  const clinician = () => signIn(t.server, owner);

  /** Both instances look for due emails twice each, all at once; the emails tried in all. */
  async function sendDueEverywhere(): Promise<number> {
    const tried = await Promise.all([...outboxes, ...outboxes].map((outbox) => outbox.sendDue()));
    return tried.reduce((sum, n) => sum + n, 0);
  }

  async function patientWithEmail(email: string, given: string): Promise<PatientEntity> {
    const patient = await createPatient(t.dataSource, owner, { givenName: given });
    await t.dataSource.getRepository(PatientEntity).update(patient.id, { email });
    return { ...patient, email };
  }

  async function inviteByEmail(doc: Browser, patient: PatientEntity): Promise<Made> {
    const address = patient.email!;
    const before = mail.to(address).length;
    const response = await doc.agent
      .post(`/api/patients/${patient.id}/invitations`)
      .set('X-CSRF-Token', await doc.csrf())
      .send({ protocol: 'trt', send: 'email' });
    expect(response.status).toBe(201);
    // The request tries it at once; an instance's own poll may have taken it a moment before,
    // and then it arrives a moment after.
    if (mail.mode === 'accept' && !mail.refused.has(address)) await arrived(address, before + 1);
    return response.body as Made;
  }

  async function arrived(address: string, count: number): Promise<void> {
    for (let waited = 0; waited < 10_000; waited += 50) {
      if (mail.to(address).length >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${count} emails to ${address} did not arrive`);
  }

  /** How the request's own try stands: sent, or (an instance's poll took it first) being sent. */
  const SENT_OR_SENDING = expect.stringMatching(/^(sent|sending)$/) as unknown;

  const linkIn = (message: ParsedMail): string => {
    const match = /https?:\/\/\S+\/e\/[A-Za-z0-9_-]{43}(?!\/)/.exec(message.text ?? '');
    if (!match) throw new Error('No link in the message');
    return new URL(match[0]).pathname;
  };
  const stopLinkIn = (message: ParsedMail): string => {
    const match = /https?:\/\/\S+\/e\/[A-Za-z0-9_-]{43}\/stop/.exec(message.text ?? '');
    if (!match) throw new Error('No stop link in the message');
    return new URL(match[0]).pathname;
  };

  /** A new browser continues from the emailed link, as the patient does; where it lands. */
  async function continueFrom(path: string): Promise<{ client: Browser; status: number }> {
    const client = browser(t.server);
    const page = await client.agent.get(path).set('Accept', 'text/html');
    const posted = await client.agent
      .post(path)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    return { client, status: posted.status };
  }

  const deliveriesOf = (invitationId: string) =>
    t.dataSource.query<
      {
        kind: string;
        sequence: number;
        status: string;
        attempts: number;
        last_error: string | null;
        stopped_because: string | null;
      }[]
    >(
      `SELECT kind, sequence, status, attempts, last_error, stopped_because
       FROM deliveries WHERE invitation_id = $1 ORDER BY kind, sequence, created_at`,
      [invitationId],
    );

  const patientPage = async (patient: PatientEntity) =>
    (await (await clinician()).agent.get(`/patients/${patient.id}`).set('Accept', 'text/html'))
      .text;

  it('sends the invitation, then a reminder on day 3 and on day 7, each once from two instances, saying nothing about health or the answers', async () => {
    const address = 'ria.patient@example.org';
    const patient = await patientWithEmail(address, 'Ria');
    const made = await inviteByEmail(await clinician(), patient);
    expect(made.email).toMatchObject({ status: SENT_OR_SENDING, attempts: 1 });
    const [invitation] = mail.to(address);
    expect(invitation.text).toContain('we may remind you by email, at most 2 times.');

    // The patient continues from the email, agrees and answers a little, then stops.
    const { client, status } = await continueFrom(linkIn(invitation));
    expect(status).toBe(303);
    expect((await answerConsent(client)).status).toBe(303);
    const step = await client.agent.get('/intake/context').set('Accept', 'text/html');
    const saved = await client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', csrfFrom(step.text))
      .send({ context: TYPICAL_ANSWERS.context, diet: TYPICAL_ANSWERS.diet });
    expect(saved.status).toBe(200);

    // A minute before day 3 nothing is due; a minute after, one reminder, however many look.
    advance(3 * DAY - MINUTE);
    await sendDueEverywhere();
    expect(mail.to(address)).toHaveLength(1);
    advance(2 * MINUTE);
    await sendDueEverywhere();
    await sendDueEverywhere();
    expect(mail.to(address)).toHaveLength(2);

    const reminder = mail.to(address)[1];
    expect(reminder.subject).toBe('Reminder: your questionnaire link');
    expect(reminder.text).toContain('Everything you already answered is kept');
    const stop = stopLinkIn(reminder);
    const unsubscribe = reminder.headerLines.find((line) => line.key === 'list-unsubscribe');
    expect(unsubscribe?.line).toContain(`${stop}>`);
    expect(reminder.headerLines.map((line) => line.line)).toContain(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    for (const part of [reminder.subject!, reminder.text!, reminder.html as string]) {
      expect(healthWordsIn(part)).toEqual([]);
      expect(findDosingAdvice(part)).toEqual([]);
      // Not her name, the clinic's, nor anything she answered.
      for (const word of [CLINIC, 'Ria', 'alcohol', 'drinks?', 'sleep', 'male', '40-49']) {
        expect(part).not.toMatch(new RegExp(`\\b${word}\\b`, 'i'));
      }
    }

    // Its link opens the same intake where she left it (past the notice she agreed to).
    const resumed = await continueFrom(linkIn(reminder));
    expect(resumed.status).toBe(303);
    const where = await resumed.client.agent.get('/intake');
    expect(where.headers.location).toMatch(/^\/intake\/(?!consent)/);

    advance(4 * DAY);
    await sendDueEverywhere();
    await sendDueEverywhere();
    expect(mail.to(address)).toHaveLength(3);
    expect(mail.to(address)[2].subject).toBe('Reminder: your questionnaire link');
    // The schedule has two days: nothing more, to the expiry and after.
    advance(8 * DAY);
    await sendDueEverywhere();
    expect(mail.to(address)).toHaveLength(3);

    expect(await deliveriesOf(made.id)).toEqual([
      expect.objectContaining({ kind: 'invitation', status: 'sent', attempts: 1 }),
      expect.objectContaining({ kind: 'reminder', sequence: 1, status: 'sent', attempts: 1 }),
      expect.objectContaining({ kind: 'reminder', sequence: 2, status: 'sent', attempts: 1 }),
    ]);
    const events = await t.dataSource.query<{ actor_type: string; detail: unknown }[]>(
      `SELECT actor_type, detail FROM audit_events
       WHERE action = 'invitation.reminder' AND target_id = $1 ORDER BY id`,
      [made.id],
    );
    expect(events).toEqual([
      { actor_type: 'system', detail: { outcome: 'sent', attempt: 1, reminder: 1 } },
      { actor_type: 'system', detail: { outcome: 'sent', attempt: 1, reminder: 2 } },
    ]);
    expect(JSON.stringify(await t.dataSource.query('SELECT * FROM audit_events'))).not.toContain(
      address,
    );
  });

  it('sends no reminder once the intake is sent, the link revoked or re-issued, or the patient archived, and says why on the patient page', async () => {
    const doc = await clinician();
    const cases = ['submitted', 'revoked', 'reissued', 'archived'] as const;
    const made = new Map<string, { patient: PatientEntity; invitation: Made; address: string }>();
    for (const reason of cases) {
      const address = `${reason}@example.org`;
      const patient = await patientWithEmail(address, `Pat ${reason}`);
      made.set(reason, { patient, invitation: await inviteByEmail(doc, patient), address });
    }

    // The first sends the intake through the emailed link.
    const submitter = made.get('submitted')!;
    const { client } = await continueFrom(linkIn(mail.to(submitter.address)[0]));
    await answerConsent(client);
    const step = await client.agent.get('/intake/context').set('Accept', 'text/html');
    const token = csrfFrom(step.text);
    await client.agent.put('/api/intake/answers').set('X-CSRF-Token', token).send(TYPICAL_ANSWERS);
    expect((await client.agent.post('/api/intake/submit').set('X-CSRF-Token', token)).status).toBe(
      201,
    );
    // The clinician revokes one link, re-issues another, archives a patient.
    const post = async (path: string) =>
      (await doc.agent.post(path).set('X-CSRF-Token', await doc.csrf())).status;
    expect(await post(`/api/invitations/${made.get('revoked')!.invitation.id}/revoke`)).toBe(201);
    expect(await post(`/api/invitations/${made.get('reissued')!.invitation.id}/reissue`)).toBe(201);
    expect(await post(`/api/patients/${made.get('archived')!.patient.id}/archive`)).toBe(200);

    // The old email of the re-issued link opens nothing now.
    const reissued = made.get('reissued')!;
    expect((await continueFrom(linkIn(mail.to(reissued.address)[0]))).status).toBe(404);

    advance(8 * DAY);
    await sendDueEverywhere();
    for (const reason of cases) {
      const { invitation, address } = made.get(reason)!;
      expect(mail.to(address)).toHaveLength(1);
      const reminders = (await deliveriesOf(invitation.id)).filter(
        (row) => row.kind === 'reminder',
      );
      expect(reminders.map((row) => `${row.status} ${row.stopped_because}`)).toEqual([
        `cancelled ${reason}`,
        `cancelled ${reason}`,
      ]);
    }
    const page = await patientPage(submitter.patient);
    expect(page).toContain('email not sent: the intake was sent');
  });

  it("stops at the patient's word: the page asks first, so a scanner's GET changes nothing; a mail program's one-click POST needs no form token", async () => {
    const address = 'sol.patient@example.org';
    const patient = await patientWithEmail(address, 'Sol');
    const made = await inviteByEmail(await clinician(), patient);
    const [invitation] = mail.to(address);
    const stop = stopLinkIn(invitation);
    const header = invitation.headerLines.find((line) => line.key === 'list-unsubscribe');
    expect(header?.line).toContain(`${stop}>`);

    const stoppedAt = async () =>
      (
        await t.dataSource.query<{ reminders_stopped_at: Date | null }[]>(
          'SELECT reminders_stopped_at FROM invitations WHERE id = $1',
          [made.id],
        )
      )[0].reminders_stopped_at;
    const scanner = browser(t.server);
    const page = await scanner.agent.get(stop).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Stop reminder emails?');
    await scanner.agent.head(stop);
    expect(await stoppedAt()).toBeNull();

    // RFC 8058: the mail program posts this body, with no cookie and no page before it.
    const oneClick = () =>
      browser(t.server).agent.post(stop).type('form').send('List-Unsubscribe=One-Click');
    const first = await oneClick();
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/reminders-stopped');
    expect(await stoppedAt()).not.toBeNull();
    expect((await oneClick()).status).toBe(303);
    const events = await t.dataSource.query<{ actor_type: string }[]>(
      `SELECT actor_type FROM audit_events WHERE action = 'invitation.reminders_stop' AND target_id = $1`,
      [made.id],
    );
    expect(events).toEqual([{ actor_type: 'patient' }]);
    const done = await browser(t.server).agent.get('/reminders-stopped').set('Accept', 'text/html');
    expect(done.text).toContain('You will get no more reminders about this questionnaire.');

    advance(8 * DAY);
    await sendDueEverywhere();
    expect(mail.to(address)).toHaveLength(1);
    expect(
      (await deliveriesOf(made.id))
        .filter((row) => row.kind === 'reminder')
        .map((row) => row.stopped_because),
    ).toEqual(['opted_out', 'opted_out']);
    expect(await patientPage(patient)).toContain('Reminders stopped by the patient');
    // The link still works.
    expect((await continueFrom(linkIn(invitation))).status).toBe(303);

    // A stop link that is no link: refused, and counted against the address as a failed open.
    const unknown = await browser(t.server)
      .agent.post(`/e/${'z'.repeat(43)}/stop`)
      .set('Accept', 'text/html')
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('This link does not work');
  });

  it('retries a refused send with backoff and then shows it failed; a retry that gets through carries a working link', async () => {
    const refusedAddress = 'nobody.here@example.org';
    const patient = await patientWithEmail(refusedAddress, 'Noor');
    mail.refused.add(refusedAddress);
    const made = await inviteByEmail(await clinician(), patient);
    expect(made.email).toMatchObject({ status: 'pending', attempts: 1, problem: 'refused' });
    const invitationEmail = async () => (await deliveriesOf(made.id))[0];

    // Not before its time: 5, then 30 minutes, then 2 hours; then failed.
    advance(4 * MINUTE);
    await sendDueEverywhere();
    expect(await invitationEmail()).toMatchObject({ status: 'pending', attempts: 1 });
    for (const [wait, attempts, status] of [
      [MINUTE + 1000, 2, 'pending'],
      [30 * MINUTE, 3, 'pending'],
      [120 * MINUTE, 4, 'failed'],
    ] as const) {
      advance(wait);
      await sendDueEverywhere();
      expect(await invitationEmail()).toMatchObject({ status, attempts, last_error: 'refused' });
    }
    advance(DAY);
    await sendDueEverywhere();
    expect(await invitationEmail()).toMatchObject({ status: 'failed', attempts: 4 });
    expect(mail.to(refusedAddress)).toEqual([]);
    const events = await t.dataSource.query<{ actor_type: string; detail: { outcome: string } }[]>(
      `SELECT actor_type, detail FROM audit_events WHERE action = 'invitation.email' AND target_id = $1 ORDER BY id`,
      [made.id],
    );
    expect(events.map((event) => `${event.actor_type} ${event.detail.outcome}`)).toEqual([
      'user retrying',
      'system retrying',
      'system retrying',
      'system failed',
    ]);
    expect(await patientPage(patient)).toContain(
      'Could not email: the mail server refused the address or the message (4 tries',
    );

    // The server is down when the link is made, and back for the retry.
    const address = 'back.soon@example.org';
    const waiting = await patientWithEmail(address, 'Bea');
    mail.mode = 'close';
    const second = await inviteByEmail(await clinician(), waiting);
    expect(second.email).toMatchObject({ status: 'pending', problem: 'unavailable' });
    expect(await patientPage(waiting)).toContain(
      'Not emailed yet: the mail server could not be reached, or it broke off; trying again',
    );
    mail.mode = 'accept';
    advance(5 * MINUTE + 1000);
    await sendDueEverywhere();
    expect(mail.to(address)).toHaveLength(1);
    expect((await deliveriesOf(second.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await continueFrom(linkIn(mail.to(address)[0]))).status).toBe(303);
  });

  it('never sends an email twice when both instances pick due ones at the same moments', async () => {
    const doc = await clinician();
    const addresses = Array.from({ length: 12 }, (_, i) => `many.${i}@example.org`);
    const invitations: Made[] = [];
    for (const [i, address] of addresses.entries()) {
      invitations.push(await inviteByEmail(doc, await patientWithEmail(address, `Many ${i}`)));
    }
    advance(3 * DAY + MINUTE);
    const tried = await sendDueEverywhere();
    expect(tried).toBeGreaterThanOrEqual(addresses.length);
    for (const address of addresses) {
      expect(mail.to(address).map((message) => message.subject)).toEqual([
        'Your questionnaire link',
        'Reminder: your questionnaire link',
      ]);
    }
    const sent = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM deliveries
       WHERE invitation_id = ANY($1) AND kind = 'reminder' AND status = 'sent'`,
      [invitations.map((made) => made.id)],
    );
    expect(sent[0].n).toBe(addresses.length);
  });

  it('emails an active link again from the patient page, with a link of its own, without doubling its reminders or resending on a repeat', async () => {
    const doc = await clinician();
    const address = 'late.address@example.org';
    const patient = await createPatient(t.dataSource, owner, { givenName: 'Lea' });
    const made = (
      await doc.agent
        .post(`/api/patients/${patient.id}/invitations`)
        .set('X-CSRF-Token', await doc.csrf())
        .send({ protocol: 'trt' })
    ).body as Made;
    // No address yet: not offered. The clinician adds one, then emails the link.
    expect(await patientPage(patient)).not.toContain(`action="/invitations/${made.id}/email"`);
    await t.dataSource.getRepository(PatientEntity).update(patient.id, { email: address });
    const page = await doc.agent.get(`/patients/${patient.id}`).set('Accept', 'text/html');
    expect(page.text).toContain(`action="/invitations/${made.id}/email"`);
    const emailIt = () =>
      doc.agent
        .post(`/invitations/${made.id}/email`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) });
    expect((await emailIt()).status).toBe(303);
    expect((await emailIt()).status).toBe(303);
    expect(mail.to(address)).toHaveLength(1);
    expect((await continueFrom(linkIn(mail.to(address)[0]))).status).toBe(303);

    advance(2 * MINUTE);
    expect((await emailIt()).status).toBe(303);
    expect(mail.to(address)).toHaveLength(2);
    const rows = await deliveriesOf(made.id);
    expect(rows.map((row) => `${row.kind} ${row.status}`)).toEqual([
      'invitation sent',
      'invitation sent',
      'reminder pending',
      'reminder pending',
    ]);

    // A revoked link has nothing to email (the API says so).
    const api = await clinician();
    const revoked = await api.agent
      .post(`/api/invitations/${made.id}/revoke`)
      .set('X-CSRF-Token', await api.csrf());
    expect(revoked.status).toBe(201);
    const refused = await api.agent
      .post(`/api/invitations/${made.id}/email`)
      .set('X-CSRF-Token', await api.csrf());
    expect(refused.status).toBe(409);
    expect(mail.to(address)).toHaveLength(2);
  });

  it("keeps the clinic's schedule as an admin sets it: at most three days, each before the link expires, refused at the field and kept as typed", async () => {
    const admin = await signIn(t.server, adminUser);
    const refused = await admin.postForm('/admin/clinic/reminders', { reminderDays: '3, 7, 20' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Links work for 14 days: give days from 1 to 13 (20 is not).');
    expect(refused.text).toContain('value="3, 7, 20"');
    expect(refused.text).toMatch(/id="field-reminderDays"[^>]*aria-invalid="true"/);
    expect(
      (await admin.postForm('/admin/clinic/reminders', { reminderDays: '13 2 5' })).status,
    ).toBe(303);
    try {
      const saved = await admin.agent
        .get('/admin/clinic?saved=reminders')
        .set('Accept', 'text/html');
      expect(saved.text).toContain('reminded 2 and 5 and 13 days after the email');
      const address = 'three.times@example.org';
      const made = await inviteByEmail(await clinician(), await patientWithEmail(address, 'Tim'));
      expect(mail.to(address)[0].text).toContain('at most 3 times.');
      expect((await deliveriesOf(made.id)).filter((row) => row.kind === 'reminder')).toHaveLength(
        3,
      );

      expect((await admin.postForm('/admin/clinic/reminders', { reminderDays: '' })).status).toBe(
        303,
      );
      const quiet = 'no.reminders@example.org';
      const none = await inviteByEmail(await clinician(), await patientWithEmail(quiet, 'Quinn'));
      expect(mail.to(quiet)[0].text).not.toContain('remind');
      expect(mail.to(quiet)[0].headerLines.map((line) => line.key)).not.toContain(
        'list-unsubscribe',
      );
      expect(await deliveriesOf(none.id)).toHaveLength(1);
      const events = await t.dataSource.query<{ detail: unknown }[]>(
        `SELECT detail FROM audit_events WHERE action = 'clinic.reminders' ORDER BY id`,
      );
      expect(events).toEqual([{ detail: { days: '2, 5, 13' } }, { detail: { days: '' } }]);
    } finally {
      await admin.postForm('/admin/clinic/reminders', { reminderDays: '3, 7' });
    }
  });

  it("decides under the patient's lock: an archiving still in flight when a reminder comes due stops it", async () => {
    const address = 'mid.archive@example.org';
    const patient = await patientWithEmail(address, 'Mia');
    const made = await inviteByEmail(await clinician(), patient);
    advance(3 * DAY + MINUTE);
    const archiving = t.dataSource.createQueryRunner();
    await archiving.connect();
    await archiving.startTransaction();
    try {
      await archiving.query('UPDATE patients SET archived_at = now() WHERE id = $1', [patient.id]);
      const sending = sendDueEverywhere();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await archiving.commitTransaction();
      await sending;
    } finally {
      await archiving.release();
    }
    expect(mail.to(address)).toHaveLength(1);
    expect((await deliveriesOf(made.id)).filter((row) => row.kind === 'reminder')[0]).toMatchObject(
      { status: 'cancelled', stopped_because: 'archived' },
    );
  });

  it('sends one reminder, not a burst, when several came due while nothing was sending', async () => {
    const address = 'back.from.outage@example.org';
    const made = await inviteByEmail(await clinician(), await patientWithEmail(address, 'Omar'));
    advance(8 * DAY);
    await sendDueEverywhere();
    expect(mail.to(address).map((message) => message.subject)).toEqual([
      'Your questionnaire link',
      'Reminder: your questionnaire link',
    ]);
    const reminders = (await deliveriesOf(made.id)).filter((row) => row.kind === 'reminder');
    expect(reminders.map((row) => `${row.status} ${row.stopped_because}`)).toEqual([
      'cancelled superseded',
      'sent null',
    ]);
  });

  it('ends the emailed links when the address is corrected: a mistyped address keeps no way in', async () => {
    const doc = await clinician();
    const wrong = 'jon.smith@example.org';
    const patient = await patientWithEmail(wrong, 'John');
    await inviteByEmail(doc, patient);
    const [misdirected] = mail.to(wrong);
    const corrected = await doc.agent
      .patch(`/api/patients/${patient.id}`)
      .set('X-CSRF-Token', await doc.csrf())
      .send({ email: 'john.smith@example.org' });
    expect(corrected.status).toBe(200);
    expect((await continueFrom(linkIn(misdirected))).status).toBe(404);
    // Its stop link only ever stopped reminders, and still may.
    const stopped = await browser(t.server)
      .agent.post(stopLinkIn(misdirected))
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(stopped.status).toBe(303);
  });

  it('a stop link opens nothing, and the opening link stops nothing: each token does one thing', async () => {
    const address = 'two.tokens@example.org';
    await inviteByEmail(await clinician(), await patientWithEmail(address, 'Tom'));
    const [message] = mail.to(address);
    const stopToken = stopLinkIn(message).split('/')[2];
    const openToken = linkIn(message).split('/')[2];
    expect(stopToken).not.toBe(openToken);
    expect((await continueFrom(`/e/${stopToken}`)).status).toBe(404);
    const wrongStop = await browser(t.server)
      .agent.post(`/e/${openToken}/stop`)
      .set('Accept', 'text/html')
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(wrongStop.status).toBe(404);
  });

  it('"Email it" while a retry waits sends now; one email that cannot be made holds up no other', async () => {
    const doc = await clinician();
    const address = 'retry.now@example.org';
    const patient = await patientWithEmail(address, 'Rita');
    mail.mode = 'close';
    const made = await inviteByEmail(doc, patient);
    expect(made.email).toMatchObject({ status: 'pending', attempts: 1 });
    mail.mode = 'accept';
    const again = await doc.agent
      .post(`/api/invitations/${made.id}/email`)
      .set('X-CSRF-Token', await doc.csrf());
    expect(again.status).toBe(201);
    expect((again.body as Made).email).toMatchObject({ status: 'sent', attempts: 2 });
    expect(mail.to(address)).toHaveLength(1);

    // Two reminders come due; making the first one throws (a fault), the other still goes.
    const other = 'not.held.up@example.org';
    const otherMade = await inviteByEmail(doc, await patientWithEmail(other, 'Otto'));
    // Only these two: earlier tests' reminders are set aside.
    await t.dataSource.query(
      `UPDATE deliveries SET status = 'cancelled', stopped_because = 'revoked', next_attempt_at = NULL
       WHERE status = 'pending' AND NOT invitation_id = ANY($1)`,
      [[made.id, otherMade.id]],
    );
    advance(3 * DAY + MINUTE);
    const render = jest.spyOn(MailTemplates.prototype, 'render');
    render.mockImplementationOnce(() => {
      throw new Error('a template fault');
    });
    try {
      await sendDueEverywhere();
    } finally {
      render.mockRestore();
    }
    const firstReminders = [made.id, otherMade.id].map(async (id) =>
      (await deliveriesOf(id)).find((row) => row.kind === 'reminder' && row.sequence === 1),
    );
    const states = (await Promise.all(firstReminders)).map(
      (row) => `${row!.status} ${row!.last_error}`,
    );
    expect(states.sort()).toEqual(['pending error', 'sent null']);
  });

  it('names the clinic only as the guard allows: a name that reads as advice is left out, and refused when turned on', async () => {
    const admin = await signIn(t.server, adminUser);
    await t.dataSource.query(`UPDATE clinics SET name = 'Start TRT Today', name_in_emails = true`);
    try {
      const address = 'guarded.name@example.org';
      const made = await inviteByEmail(await clinician(), await patientWithEmail(address, 'Gus'));
      expect(made.email).toMatchObject({ status: SENT_OR_SENDING });
      expect(mail.to(address)[0].text).toContain('Your clinic has asked you');
      await t.dataSource.query(`UPDATE clinics SET name_in_emails = false`);
      const refused = await admin.postForm('/admin/clinic/email', { nameInEmails: 'yes' });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('reads as advice about medicines');
    } finally {
      await t.dataSource.query(`UPDATE clinics SET name = $1, name_in_emails = false`, [CLINIC]);
    }
  });
});
