import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import { submitIntake } from './support/intake-flow';
import { asBytes } from './support/pdf';
import { invite, openLink } from './support/patient-link';
import {
  browser,
  Browser,
  createClinic,
  createPatient,
  createUser,
  csrfFrom,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

/*
 * A patient's contact details, editing and archiving, through HTTP: the
 * patient page's forms and the JSON API, with the audit events they leave.
 */
describe("a patient's details: contact, editing, archiving", () => {
  let t: TestApp;
  let clinician: Browser;
  let stranger: Browser;
  let clinicId: string;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://intake.clinic.test' });
    const clinic = await createClinic(t.dataSource, 'Contacts Clinic');
    clinicId = clinic.id;
    const user = await createUser(t.dataSource, clinic, { email: 'doc@contacts.test' });
    clinician = await signIn(t.server, user);
    const other = await createClinic(t.dataSource, 'Elsewhere Clinic');
    stranger = await signIn(
      t.server,
      await createUser(t.dataSource, other, { email: 'x@elsewhere.test' }),
    );
    owner = user;
  });
  afterAll(() => t.close());
  let owner: Awaited<ReturnType<typeof createUser>>;

  const page = (client: Browser, path: string) => client.agent.get(path).set('Accept', 'text/html');
  const form = async (client: Browser, path: string, fields: Record<string, string> = {}) => {
    const token = csrfFrom((await page(client, '/')).text);
    return client.agent
      .post(path)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: token, ...fields });
  };
  const api = async (client: Browser) => ({
    agent: client.agent,
    token: await client.csrf(),
  });
  const row = (id: string) => t.dataSource.getRepository(PatientEntity).findOneByOrFail({ id });
  const events = (patientId: string) =>
    t.dataSource
      .getRepository(AuditEventEntity)
      .find({ where: { patientId }, order: { id: 'ASC' } });

  it('adds email and phone from the patient page; a bad email is named at its field and keeps the rest typed', async () => {
    const patient = await createPatient(t.dataSource, owner, {
      givenName: 'Ines',
      familyName: 'Okafor',
      reference: 'IO-1',
    });
    const refused = await form(clinician, `/patients/${patient.id}/details`, {
      givenName: 'Inès',
      familyName: 'Okafor-Reyes',
      reference: 'IO-2',
      email: 'ines@',
      phone: '+44 (0)20 7946-0958',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('href="#field-email"');
    expect(refused.text).toContain('id="email-error"');
    expect(refused.text).toContain('Enter an email address, like name@example.org.');
    expect(refused.text).toMatch(/id="field-email"[^>]*aria-invalid="true"/);
    expect(refused.text).toMatch(/<details class="edit-details" open>/);
    for (const typed of ['Inès', 'Okafor-Reyes', 'IO-2', 'ines@', '+44 (0)20 7946-0958']) {
      expect(refused.text).toContain(`value="${typed}"`);
    }
    // Nothing half-saved, nothing recorded as changed.
    expect(await row(patient.id)).toMatchObject({
      givenName: 'Ines',
      familyName: 'Okafor',
      reference: 'IO-1',
      email: null,
      phone: null,
    });
    expect((await events(patient.id)).map((e) => e.action)).not.toContain('patient.update');

    const saved = await form(clinician, `/patients/${patient.id}/details`, {
      givenName: 'Inès',
      familyName: 'Okafor',
      reference: 'IO-1',
      email: ' ines@example.org ',
      phone: ' +44 (0)20 7946-0958 ',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/patients/${patient.id}#details-title`);
    expect(await row(patient.id)).toMatchObject({
      givenName: 'Inès',
      email: 'ines@example.org',
      phone: '+44 (0)20 7946-0958',
    });
    const shown = await page(clinician, `/patients/${patient.id}`);
    expect(shown.text).toContain('ines@example.org');
    expect(shown.text).toContain('+44 (0)20 7946-0958');

    // The event says which fields changed, never their values.
    const update = (await events(patient.id)).filter((e) => e.action === 'patient.update');
    expect(update).toHaveLength(1);
    expect(update[0]).toMatchObject({
      outcome: 'success',
      detail: { fields: 'givenName,email,phone' },
    });
    expect(JSON.stringify(update)).not.toMatch(/ines@|7946|Inès/);

    // The same form again changes nothing and records nothing.
    await form(clinician, `/patients/${patient.id}/details`, {
      givenName: 'Inès',
      familyName: 'Okafor',
      reference: 'IO-1',
      email: 'ines@example.org',
      phone: '+44 (0)20 7946-0958',
    });
    expect((await events(patient.id)).filter((e) => e.action === 'patient.update')).toHaveLength(1);
  });

  it('changes details with PATCH /api/patients/:id: only the fields sent, null removes, 400 names the field', async () => {
    const patient = await createPatient(t.dataSource, owner, { familyName: 'Patchley' });
    const { agent, token } = await api(clinician);
    const set = await agent
      .patch(`/api/patients/${patient.id}`)
      .set('X-CSRF-Token', token)
      .send({ email: 'p@example.org', phone: '0161 496 0000' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      familyName: 'Patchley',
      email: 'p@example.org',
      phone: '0161 496 0000',
      archivedAt: null,
    });
    const got = await agent.get(`/api/patients/${patient.id}`);
    expect(got.body).toMatchObject({ email: 'p@example.org', phone: '0161 496 0000' });

    const bad = await agent
      .patch(`/api/patients/${patient.id}`)
      .set('X-CSRF-Token', token)
      .send({ phone: '12-34', givenName: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'givenName',
      'phone',
    ]);
    expect(bad.body.fields.find((f: { field: string }) => f.field === 'phone').message).toMatch(
      /6 to 20 digits/,
    );

    const cleared = await agent
      .patch(`/api/patients/${patient.id}`)
      .set('X-CSRF-Token', token)
      .send({ email: null });
    expect(cleared.status).toBe(200);
    expect(await row(patient.id)).toMatchObject({ email: null, phone: '0161 496 0000' });

    // A reference another patient has: 409 at the field.
    await createPatient(t.dataSource, owner, { familyName: 'Taken', reference: 'TAKEN-1' });
    const taken = await agent
      .patch(`/api/patients/${patient.id}`)
      .set('X-CSRF-Token', token)
      .send({ reference: 'TAKEN-1' });
    expect(taken.status).toBe(409);
    expect(taken.body.fields).toEqual([expect.objectContaining({ field: 'reference' })]);

    // The list leaves contact details out.
    const list = await agent.get('/api/patients?q=Patchley');
    expect(list.body.patients[0]).not.toHaveProperty('phone');
    expect(list.body.patients[0]).not.toHaveProperty('email');
  });

  it('archives: out of the list, links stop at once, records readable, no new link; unarchive restores', async () => {
    const patient = await createPatient(t.dataSource, owner, { familyName: 'Archerfield' });
    const { intake, assessment } = await submitIntake(t.server, t.dataSource, clinician, patient);
    const later = await invite(clinician, patient, 'other');
    const session = await openLink(t.server, later); // mid-form
    const saved = await session.client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', session.token)
      .send({ sleep: { hoursAsleep: 6 } });
    expect(saved.status).toBe(200);
    expect((await page(clinician, '/?q=Archerfield')).text).toContain(`/patients/${patient.id}"`);
    // Another browser on the same link, left open and idle while the patient is archived.
    const idle = browser(t.server);
    expect((await idle.agent.get(new URL(later.link).pathname)).status).toBe(303);
    expect((await idle.agent.get('/intake/sleep').set('Accept', 'text/html')).status).toBe(200);

    const archived = await form(clinician, `/patients/${patient.id}/archive`);
    expect(archived.status).toBe(303);
    expect(archived.headers.location).toBe(`/patients/${patient.id}#archived-notice`);
    expect((await row(patient.id)).archivedAt).not.toBeNull();

    // Out of the list by default; the filter shows them (and the API's too).
    const list = (query: string) => page(clinician, `/?q=Archerfield${query}`);
    expect((await list('')).text).not.toContain(`/patients/${patient.id}"`);
    expect((await list('&archived=include')).text).toContain(`/patients/${patient.id}"`);
    const only = await list('&archived=only');
    expect(only.text).toContain(`/patients/${patient.id}"`);
    expect(only.text).toContain('(archived)');
    const { agent, token } = await api(clinician);
    expect((await agent.get('/api/patients?q=Archerfield')).body.patients).toEqual([]);
    expect(
      (await agent.get('/api/patients?q=Archerfield&archived=only')).body.patients.map(
        (p: { id: string }) => p.id,
      ),
    ).toEqual([patient.id]);

    // The patient mid-form is stopped at the next request; the link answers as a revoked one.
    const next = await session.client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', session.token)
      .send({ sleep: { hoursAsleep: 7 } });
    // The session is gone, so its CSRF token no longer matches: refused, nothing saved.
    expect(next.status).toBe(403);
    const stored = await t.dataSource
      .getRepository(IntakeEntity)
      .findOneByOrFail({ invitationId: later.id });
    expect(stored.answers).toEqual({ hoursAsleep: 6 });
    const step = await session.client.agent.get('/intake/context').set('Accept', 'text/html');
    expect(step.status).toBe(401);
    expect(step.text).toContain('Open the link from your clinic again');
    const reopened = await browser(t.server).agent.get(new URL(later.link).pathname);
    expect(reopened.status).toBe(410);
    expect(reopened.text).toContain('Your clinic has withdrawn this link');
    expect(reopened.headers['set-cookie']?.toString() ?? '').not.toContain('hp_intake=');

    // Records stay readable: the page, the intake, the assessment, the handout.
    const shown = await page(clinician, `/patients/${patient.id}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Archived on');
    expect(shown.text).toContain('No link can be made for an archived patient.');
    expect(shown.text).not.toContain('Create invitation link');
    expect((await page(clinician, `/intakes/${intake.id}`)).status).toBe(200);
    const assessments = await agent.get(`/api/intakes/${intake.id}/assessments`);
    expect(assessments.status).toBe(200);
    const handout = await agent
      .get(`/api/assessments/${assessment.id}/handouts/patient`)
      .buffer(true)
      .parse(asBytes);
    expect(handout.status).toBe(200);
    expect((handout.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    // No new link, nor a re-issued one, while archived: 409 with a clear message.
    const made = await agent
      .post(`/api/patients/${patient.id}/invitations`)
      .set('X-CSRF-Token', token)
      .send({ protocol: 'trt', replace: true });
    expect(made.status).toBe(409);
    expect(made.body.message).toBe(
      'This patient is archived: unarchive them to make or re-issue a link.',
    );
    const reissued = await agent
      .post(`/api/invitations/${later.id}/reissue`)
      .set('X-CSRF-Token', token);
    expect(reissued.status).toBe(409);
    const fromPage = await form(clinician, `/patients/${patient.id}/invitations`, {
      protocol: 'trt',
    });
    expect(fromPage.status).toBe(409);
    expect(fromPage.text).toContain('unarchive them to make or re-issue a link');

    // Archiving again changes and records nothing.
    const again = await agent
      .post(`/api/patients/${patient.id}/archive`)
      .set('X-CSRF-Token', token);
    expect(again.status).toBe(200);
    expect(again.body.archivedAt).not.toBeNull();

    // Unarchive: back in the list, with the same status, and the link works again.
    const statusBefore = (await row(patient.id)).intakeStatus;
    const back = await form(clinician, `/patients/${patient.id}/unarchive`);
    expect(back.status).toBe(303);
    expect((await row(patient.id)).archivedAt).toBeNull();
    expect((await row(patient.id)).intakeStatus).toBe(statusBefore);
    expect((await list('')).text).toContain(`/patients/${patient.id}"`);
    expect((await browser(t.server).agent.get(new URL(later.link).pathname)).status).toBe(303);
    // The browser left open meanwhile is not brought back: archiving ended its session.
    const stale = await idle.agent.get('/intake/sleep').set('Accept', 'text/html');
    expect(stale.status).not.toBe(200);

    const actions = (await events(patient.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'patient.archive')).toHaveLength(1);
    expect(actions.filter((a) => a === 'patient.unarchive')).toHaveLength(1);
  });

  it("refuses another clinic's patient, by page and API, and records the refusal", async () => {
    const patient = await createPatient(t.dataSource, owner, {
      familyName: 'Guarded',
      reference: 'G-1',
    });
    const { agent, token } = await api(stranger);
    const attempts = [
      await agent
        .patch(`/api/patients/${patient.id}`)
        .set('X-CSRF-Token', token)
        .send({ email: 'evil@example.org' }),
      await agent.post(`/api/patients/${patient.id}/archive`).set('X-CSRF-Token', token),
      await agent.post(`/api/patients/${patient.id}/unarchive`).set('X-CSRF-Token', token),
      await form(stranger, `/patients/${patient.id}/details`, { familyName: 'Owned' }),
      await form(stranger, `/patients/${patient.id}/archive`),
    ];
    expect(attempts.map((response) => response.status)).toEqual([404, 404, 404, 404, 404]);
    expect(await row(patient.id)).toMatchObject({
      familyName: 'Guarded',
      email: null,
      archivedAt: null,
    });
    const denied = (await events(patient.id)).filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => e.action).sort()).toEqual([
      'patient.archive',
      'patient.archive',
      'patient.unarchive',
      'patient.update',
      'patient.update',
    ]);
    expect(denied.every((e) => e.clinicId !== clinicId)).toBe(true);
    expect(JSON.stringify(denied)).not.toContain('evil@');
  });
});
