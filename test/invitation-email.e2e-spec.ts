import { PatientEntity } from '../src/patients/patient.entity';
import { findDosingAdvice } from '../src/safety/dosing-guard';
import { healthWordsIn, MailServer } from './support/mail-server';
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

/*
 * Emailing a patient's invitation link, against a real SMTP server in this
 * process: what arrives (both parts, no health words, the clinic named only
 * when its setting says so), the emailed link's "continue" page (a GET uses
 * nothing up), a refused or broken-off delivery (recorded, shown, the link
 * kept), and the 400s before anything is made.
 */
describe('invitation links by email', () => {
  let mail: MailServer;
  let t: TestApp;
  let clinician: Browser;
  let admin: Browser;
  let owner: TestUser;
  const CLINIC = 'Northside Hormone Clinic';

  beforeAll(async () => {
    mail = await MailServer.start();
    t = await startTestApp({
      SMTP_URL: mail.url,
      MAIL_FROM: 'Appointments <no-reply@clinic.example>',
      MAIL_REPLY_TO: 'desk@clinic.example',
    });
    const clinic = await createClinic(t.dataSource, CLINIC);
    owner = await createUser(t.dataSource, clinic, { email: 'doc@email.test' });
    clinician = await signIn(t.server, owner);
    admin = await signIn(
      t.server,
      await createUser(t.dataSource, clinic, { email: 'admin@email.test', role: 'admin' }),
    );
  });
  afterAll(async () => {
    await t.close();
    await mail.close();
  });

  beforeEach(() => {
    mail.mode = 'accept';
  });

  async function patientWithEmail(email: string | null, given = 'Ada'): Promise<PatientEntity> {
    const patient = await createPatient(t.dataSource, owner, { givenName: given });
    await t.dataSource.getRepository(PatientEntity).update(patient.id, { email });
    return { ...patient, email };
  }

  async function inviteByEmail(patient: PatientEntity, extra: Record<string, unknown> = {}) {
    return clinician.agent
      .post(`/api/patients/${patient.id}/invitations`)
      .set('X-CSRF-Token', await clinician.csrf())
      .send({ protocol: 'trt', send: 'email', ...extra });
  }

  const tokenOf = (link: string): string => new URL(link).pathname.split('/')[2];
  const emailedLinkIn = (text: string): string => {
    const match = /https?:\/\/\S+\/e\/[A-Za-z0-9_-]+/.exec(text);
    if (!match) throw new Error('No emailed link in the message');
    return match[0];
  };

  it('emails the link in the request that makes it: both parts, neutral, nothing about health, recorded without the address', async () => {
    const patient = await patientWithEmail('ada.patient@example.org');
    const before = mail.messages.length;
    const response = await inviteByEmail(patient);
    expect(response.status).toBe(201);
    const body = response.body as {
      id: string;
      link: string;
      email: { status: string; problem: string | null; attempts: number };
    };
    expect(body.email).toMatchObject({ status: 'sent', problem: null, attempts: 1 });

    const message = await mail.nextAfter(before);
    expect(message.subject).toBe('Your questionnaire link');
    expect(message.from?.text).toBe('"Appointments" <no-reply@clinic.example>');
    expect(message.replyTo?.text).toBe('desk@clinic.example');
    expect(JSON.stringify(message.to)).toContain('ada.patient@example.org');
    expect(message.text).toBeTruthy();
    expect(message.html).toBeTruthy();
    expect(message.attachments).toEqual([]);
    const html = message.html as string;
    const text = message.text!;
    // The emailed link has a token of its own (the link's is never kept), on the /e/ path.
    const emailed = emailedLinkIn(text);
    expect(tokenOf(emailed)).not.toBe(tokenOf(body.link));
    expect(new URL(emailed).pathname).toMatch(/^\/e\//);
    expect(html).toContain(`href="${emailed}"`);
    expect(html).not.toMatch(/<img|<script|<link|src=/i);
    for (const part of [message.subject!, text, html]) {
      expect(healthWordsIn(part)).toEqual([]);
      expect(findDosingAdvice(part)).toEqual([]);
      expect(part).not.toContain(CLINIC);
      expect(part).not.toContain('Ada');
    }

    // The email, and the clinic's two reminders (3 and 7 days, the default) planned.
    const deliveries = await t.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM deliveries WHERE invitation_id = $1 ORDER BY sequence',
      [body.id],
    );
    expect(deliveries.map(({ kind, status }) => `${kind as string} ${status as string}`)).toEqual([
      'invitation sent',
      'reminder pending',
      'reminder pending',
    ]);
    expect(deliveries[0]).toMatchObject({ attempts: 1, last_error: null });
    const events = await t.dataSource.query<{ detail: unknown; outcome: string }[]>(
      `SELECT detail, outcome FROM audit_events WHERE action = 'invitation.email' AND target_id = $1`,
      [body.id],
    );
    expect(events).toEqual([{ detail: { outcome: 'sent', attempt: 1 }, outcome: 'success' }]);
    const stored = JSON.stringify(await t.dataSource.query('SELECT * FROM deliveries'));
    const audit = JSON.stringify(await t.dataSource.query('SELECT * FROM audit_events'));
    for (const row of [stored, audit, JSON.stringify(deliveries)]) {
      expect(row).not.toContain('ada.patient@example.org');
      expect(row).not.toContain(tokenOf(body.link));
    }

    // The patient page says it was emailed, next to the link.
    const page = await clinician.agent.get(`/patients/${patient.id}`).set('Accept', 'text/html');
    expect(page.text).toMatch(/data-email-line>Emailed /);
  });

  it('opens nothing on a plain GET of the emailed link; Continue (a POST) opens it as /i/ does', async () => {
    const patient = await patientWithEmail('bo.patient@example.org', 'Bo');
    const before = mail.messages.length;
    const made = (await inviteByEmail(patient)).body as { id: string };
    const emailed = emailedLinkIn((await mail.nextAfter(before)).text!);
    const path = new URL(emailed).pathname;

    // A mail scanner: GETs (and HEADs), with and without asking for HTML.
    const scanner = browser(t.server);
    for (const accept of ['text/html', '*/*']) {
      const seen = await scanner.agent.get(path).set('Accept', accept);
      expect(seen.status).toBe(200);
      expect(seen.text).toContain('Continue to your questionnaire');
      const cookies = ([] as string[]).concat(seen.headers['set-cookie'] ?? []);
      expect(cookies.filter((cookie) => cookie.includes('hp_intake'))).toEqual([]);
    }
    await scanner.agent.head(path);
    const state = async () =>
      (
        await t.dataSource.query<{ first_used_at: Date | null; sessions: number; opens: number }[]>(
          `SELECT i.first_used_at,
             (SELECT count(*)::int FROM sessions s WHERE s.invitation_id = i.id) AS sessions,
             (SELECT count(*)::int FROM audit_events a WHERE a.action = 'intake.link_open' AND a.target_id = i.id) AS opens
           FROM invitations i WHERE i.id = $1`,
          [made.id],
        )
      )[0];
    expect(await state()).toEqual({ first_used_at: null, sessions: 0, opens: 0 });

    // Continue without the page's CSRF token: refused, nothing opened.
    const forged = await browser(t.server).agent.post(path).type('form').send({});
    expect(forged.status).toBe(403);
    expect(await state()).toEqual({ first_used_at: null, sessions: 0, opens: 0 });

    // The patient: the page, then Continue.
    const patientBrowser = browser(t.server);
    const page = await patientBrowser.agent.get(path).set('Accept', 'text/html');
    expect(page.text).toContain(`action="${path}"`);
    const continued = await patientBrowser.agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(continued.status).toBe(303);
    expect(continued.headers.location).toBe('/intake');
    expect(([] as string[]).concat(continued.headers['set-cookie'] ?? []).join(';')).toContain(
      'hp_intake',
    );
    const next = await patientBrowser.agent.get('/intake');
    expect(next.headers.location).toBe('/intake/consent');
    const after = await state();
    expect(after.first_used_at).not.toBeNull();
    expect(after).toMatchObject({ sessions: 1, opens: 1 });

    // A token that is not a link: the same refusal as /i/, audited, counted for throttling.
    const failures = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'intake.link_open' AND outcome = 'failure'`,
        )
      )[0].n;
    const failed = await failures();
    const stranger = browser(t.server);
    const wrongPath = '/e/' + 'x'.repeat(43);
    const wrongPage = await stranger.agent.get(wrongPath).set('Accept', 'text/html');
    const unknown = await stranger.agent
      .post(wrongPath)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrfFrom(wrongPage.text) });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('This link does not work');
    expect(await failures()).toBe(failed + 1);
    const malformed = await browser(t.server)
      .agent.get('/e/not-a-token')
      .set('Accept', 'text/html');
    expect(malformed.status).toBe(404);
    expect(malformed.text).toContain('This link does not work');
  });

  it('names the clinic only once an admin allows it (audited)', async () => {
    const settings = await admin.agent.get('/admin/clinic').set('Accept', 'text/html');
    expect(settings.text).toContain('Name the clinic in emails to patients?');
    expect(settings.text).toMatch(/value="no" checked/);
    const saved = await admin.postForm('/admin/clinic/email', { nameInEmails: 'yes' });
    expect(saved.status).toBe(303);
    const refused = await admin.postForm('/admin/clinic/email', { nameInEmails: 'maybe' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Choose whether emails to patients name the clinic.');
    try {
      const patient = await patientWithEmail('cy.patient@example.org', 'Cy');
      const before = mail.messages.length;
      expect((await inviteByEmail(patient)).status).toBe(201);
      const message = await mail.nextAfter(before);
      expect(message.text).toContain(`${CLINIC} has asked you`);
      expect(message.subject).toBe('Your questionnaire link');
      const events = await t.dataSource.query<{ detail: unknown }[]>(
        `SELECT detail FROM audit_events WHERE action = 'clinic.name_in_emails'`,
      );
      expect(events).toEqual([{ detail: { named: true } }]);
    } finally {
      await admin.postForm('/admin/clinic/email', { nameInEmails: 'no' });
    }
  });

  it.each([
    ['refuse-recipient', 'refused', 'the mail server refused the address or the message'],
    ['close', 'unavailable', 'the mail server could not be reached, or it broke off'],
  ] as const)(
    'records a delivery the server %s as failed for now, shows it, and keeps the link to copy',
    async (mode, problem, words) => {
      const patient = await patientWithEmail(`${mode}@example.org`, 'Dee');
      mail.mode = mode;
      const before = mail.messages.length;
      // Through the patient page's form, as a clinician would.
      const form = await clinician.agent.get(`/patients/${patient.id}`).set('Accept', 'text/html');
      expect(form.text).toContain(`Create link and email it to ${mode}@example.org`);
      const posted = await clinician.agent
        .post(`/patients/${patient.id}/invitations`)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), protocol: 'trt', send: 'email' });
      expect(posted.status).toBe(303);
      const page = await clinician.agent.get(`/patients/${patient.id}`).set('Accept', 'text/html');
      expect(page.text).toContain(
        `Not emailed yet: ${words.replace(/'/g, '&#x27;')}; trying again`,
      );
      const shown = /id="new-link" type="text" readonly value="([^"]+)"/.exec(page.text)?.[1];
      expect(shown).toMatch(/\/i\/[A-Za-z0-9_-]{43}$/);
      expect(mail.messages.length).toBe(before);

      const [invitation] = await t.dataSource.query<{ id: string }[]>(
        'SELECT id FROM invitations WHERE patient_id = $1',
        [patient.id],
      );
      // Kept to be tried again (test/reminders.e2e-spec.ts follows the retries).
      const deliveries = await t.dataSource.query<Record<string, unknown>[]>(
        `SELECT status, attempts, last_error FROM deliveries WHERE invitation_id = $1 AND kind = 'invitation'`,
        [invitation.id],
      );
      expect(deliveries).toEqual([{ status: 'pending', attempts: 1, last_error: problem }]);
      const events = await t.dataSource.query<{ detail: unknown; outcome: string }[]>(
        `SELECT detail, outcome FROM audit_events WHERE action = 'invitation.email' AND target_id = $1`,
        [invitation.id],
      );
      expect(events).toEqual([
        { detail: { outcome: 'retrying', problem, attempt: 1 }, outcome: 'failure' },
      ]);
      expect(JSON.stringify(events)).not.toContain('@example.org');

      // The link still works.
      mail.mode = 'accept';
      const opened = await browser(t.server).agent.get(new URL(shown!).pathname);
      expect(opened.status).toBe(303);
    },
  );

  it('no longer counts an email once its link is re-issued (the old token is what it carried)', async () => {
    const patient = await patientWithEmail('fay.patient@example.org', 'Fay');
    const made = (await inviteByEmail(patient)).body as { id: string };
    const list = async () =>
      (
        await clinician.agent
          .get(`/api/patients/${patient.id}/invitations`)
          .set('X-CSRF-Token', await clinician.csrf())
      ).body as { id: string; email: { status: string } | null }[];
    expect((await list())[0].email).toMatchObject({ status: 'sent' });
    const reissued = await clinician.agent
      .post(`/api/invitations/${made.id}/reissue`)
      .set('X-CSRF-Token', await clinician.csrf());
    expect(reissued.status).toBe(201);
    expect((reissued.body as { email: unknown }).email).toBeNull();
    expect((await list())[0].email).toBeNull();
    const page = await clinician.agent.get(`/patients/${patient.id}`).set('Accept', 'text/html');
    expect(page.text).not.toContain('data-email-line');
  });

  it('keeps "and email it" through the question whether to replace an active link', async () => {
    const patient = await patientWithEmail('gil.patient@example.org', 'Gil');
    expect((await inviteByEmail(patient)).status).toBe(201);
    const before = mail.messages.length;
    const again = await clinician.postForm(`/patients/${patient.id}/invitations`, {
      protocol: 'trt',
      send: 'email',
    });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(
      `/patients/${patient.id}?replace=trt&send=email#replace-link`,
    );
    const question = await clinician.agent
      .get(again.headers.location.replace(/#.*$/, ''))
      .set('Accept', 'text/html');
    expect(question.text).toContain('Replace the link and email the new one');
    expect(question.text).toContain('<input type="hidden" name="send" value="email">');
    expect(mail.messages.length).toBe(before);
    const replaced = await clinician.postForm(`/patients/${patient.id}/invitations`, {
      protocol: 'trt',
      replace: 'yes',
      send: 'email',
    });
    expect(replaced.status).toBe(303);
    expect((await mail.nextAfter(before)).subject).toBe('Your questionnaire link');
  });

  it('documents send: email and the email outcome in OpenAPI', async () => {
    const doc = (await clinician.agent.get('/api/openapi.json')).body as {
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    expect(doc.components.schemas.InvitationCreateDto.properties.send.enum).toEqual(['email']);
    expect(doc.components.schemas.InvitationEmailDto.properties.problem.enum).toEqual([
      'refused',
      'unavailable',
      'sign_in',
      'timeout',
      'error',
    ]);
    expect(doc.components.schemas.InvitationLinkDto.properties).toHaveProperty('email');
  });

  it('refuses send: email before making anything when the patient has no address, or a bad send', async () => {
    const patient = await patientWithEmail(null, 'Eve');
    const count = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM invitations WHERE patient_id = $1',
          [patient.id],
        )
      )[0].n;
    const noAddress = await inviteByEmail(patient);
    expect(noAddress.status).toBe(400);
    expect(noAddress.body.fields).toEqual([
      { field: 'send', message: expect.stringContaining('no email address') },
    ]);
    const bad = await inviteByEmail(patient, { send: 'sms' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.fields)).toContain('send must be email');
    expect(await count()).toBe(0);
    const page = await clinician.agent.get(`/patients/${patient.id}`).set('Accept', 'text/html');
    expect(page.text).not.toContain('Create link and email it');
  });
});

describe('invitation links by email, while email is off', () => {
  let t: TestApp;
  let clinician: Browser;
  let patient: PatientEntity;

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Quiet Clinic');
    const owner = await createUser(t.dataSource, clinic, { email: 'doc@quiet.test' });
    clinician = await signIn(t.server, owner);
    patient = await createPatient(t.dataSource, owner);
    await t.dataSource
      .getRepository(PatientEntity)
      .update(patient.id, { email: 'quiet@example.org' });
  });
  afterAll(() => t.close());

  it('says so on the patient page, with how to turn it on, and refuses send: email with a 400', async () => {
    const page = await clinician.agent.get(`/patients/${patient.id}`).set('Accept', 'text/html');
    expect(page.text).toContain('Sending links by email is off.');
    expect(page.text).toContain('<code>SMTP_URL</code>');
    expect(page.text).not.toContain('Create link and email it');
    const refused = await clinician.agent
      .post(`/api/patients/${patient.id}/invitations`)
      .set('X-CSRF-Token', await clinician.csrf())
      .send({ protocol: 'trt', send: 'email' });
    expect(refused.status).toBe(400);
    expect(refused.body.fields[0]).toMatchObject({ field: 'send' });
    expect(refused.body.fields[0].message).toContain('SMTP_URL');
  });
});

describe('the emailed link, throttled as /i/ is', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ INVITATION_LINK_MAX_FAILURES: '3' });
  });
  afterAll(() => t.close());

  it('refuses Continue from an address past the limit of failed opens, a valid link too', async () => {
    const clinic = await createClinic(t.dataSource, 'Throttle Mail Clinic');
    const owner = await createUser(t.dataSource, clinic, { email: 'doc@throttle-mail.test' });
    const clinician = await signIn(t.server, owner);
    const patient = await createPatient(t.dataSource, owner);
    const made = await clinician.agent
      .post(`/api/patients/${patient.id}/invitations`)
      .set('X-CSRF-Token', await clinician.csrf())
      .send({ protocol: 'trt' });
    const token = new URL((made.body as { link: string }).link).pathname.split('/')[2];
    const guesser = browser(t.server);
    const continueWith = async (candidate: string) => {
      const page = await guesser.agent.get(`/e/${candidate}`).set('Accept', 'text/html');
      return guesser.agent
        .post(`/e/${candidate}`)
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: csrfFrom(page.text) });
    };
    for (let i = 0; i < 3; i++)
      expect((await continueWith(`${'y'.repeat(42)}${i}`)).status).toBe(404);
    const refused = await continueWith(token);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    const [{ first_used_at: firstUsed }] = await t.dataSource.query<
      { first_used_at: Date | null }[]
    >('SELECT first_used_at FROM invitations WHERE id = $1', [(made.body as { id: string }).id]);
    expect(firstUsed).toBeNull();
  });
});
