import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { ConsentTextEntity } from '../src/consent/consent-text.entity';
import { DEFAULT_CONSENT_TEXT } from '../src/consent/default-consent';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import { submitIntake } from './support/intake-flow';
import { answerConsent, consentTextIdFrom, invite, openLink } from './support/patient-link';
import { asBytes, readPdf } from './support/pdf';
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
} from './support/test-app';

describe('consent before the first question (HTTP)', () => {
  let t: TestApp;
  let clinician: Browser;
  let admin: Browser;
  let patient: PatientEntity;
  let clinicId: string;

  const intakeOf = (invitationId: string) =>
    t.dataSource.getRepository(IntakeEntity).findOneByOrFail({ invitationId });
  const consentEvents = (intakeId: string) =>
    t.dataSource
      .getRepository(AuditEventEntity)
      .find({ where: { action: 'intake.consent', targetId: intakeId }, order: { id: 'ASC' } });
  const saveAnswers = (client: Browser, token: string) =>
    client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', token)
      .send({ context: { sex: 'male', ageBand: '40-49' } });
  const saveNotice = async (body: string, contact = '') => {
    const page = await admin.agent.get('/admin/clinic').set('Accept', 'text/html');
    return admin.agent
      .post('/admin/clinic/consent')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), body, contact });
  };

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Harbour Clinic');
    clinicId = clinic.id;
    const doc = await createUser(t.dataSource, clinic, { email: 'doc@harbour.test' });
    const boss = await createUser(t.dataSource, clinic, {
      email: 'admin@harbour.test',
      role: 'admin',
    });
    patient = await createPatient(t.dataSource, doc, { givenName: 'Cai', familyName: 'Consent' });
    clinician = await signIn(t.server, doc);
    admin = await signIn(t.server, boss);
  });
  afterAll(() => t.close());

  it('shows the notice first, and refuses every question and answer until it is agreed to', async () => {
    const link = await invite(clinician, patient);
    const { client, token } = await openLink(t.server, link, { consent: false });

    // Pages lead to the notice; the step itself is never shown.
    for (const path of ['/intake', '/intake/context', '/intake/review', '/intake/thank-you']) {
      const page = await client.agent.get(path).set('Accept', 'text/html');
      expect([path, page.status]).toEqual([path, 303]);
      expect(page.headers.location).toMatch(/^\/intake(\/consent)?$/);
    }
    const notice = await client.agent.get('/intake/consent').set('Accept', 'text/html');
    expect(notice.status).toBe(200);
    expect(notice.text).toContain('Privacy notice from Harbour Clinic');
    expect(notice.text).toContain('Who sees your answers: the staff of your clinic');
    expect(notice.text).toContain('I agree, start the questions');
    expect(notice.text).toContain('I do not agree');

    // The JSON API refuses too, and saves nothing.
    const read = await client.agent.get('/api/intake');
    expect(read.status).toBe(403);
    expect(read.body.code).toBe('consent_required');
    const saved = await saveAnswers(client, token);
    expect(saved.status).toBe(403);
    expect(saved.body.code).toBe('consent_required');
    const submitted = await client.agent.post('/api/intake/submit').set('X-CSRF-Token', token);
    expect(submitted.status).toBe(403);
    const step = await client.agent
      .post('/intake/context')
      .type('form')
      .send({ _csrf: token, sex: 'male', action: 'next' });
    expect(step.status).toBe(303);
    expect(step.headers.location).toBe('/intake/consent');
    const autosave = await client.agent
      .post('/intake/context/autosave')
      .set('X-CSRF-Token', token)
      .type('form')
      .send({ sex: 'male' });
    expect(autosave.status).toBe(403);
    const intake = await intakeOf(link.id);
    expect(intake.answers).toEqual({});
    expect(intake.consentedAt).toBeNull();
  });

  it('records the version agreed to and the time, audited without health data; the API then saves', async () => {
    const link = await invite(clinician, patient);
    const { client, token } = await openLink(t.server, link, { consent: false });
    const agreed = await answerConsent(client, 'agree');
    expect(agreed.status).toBe(303);
    expect(agreed.headers.location).toBe('/intake');

    const current = await t.dataSource
      .getRepository(ConsentTextEntity)
      .findOneOrFail({ where: { clinicId }, order: { version: 'DESC' } });
    const intake = await intakeOf(link.id);
    expect(intake.consentTextId).toBe(current.id);
    expect(intake.consentVersion).toBe(current.version);
    expect(intake.consentedAt).toBeInstanceOf(Date);
    const [event] = await consentEvents(intake.id);
    expect(event).toMatchObject({
      outcome: 'success',
      actorType: 'patient',
      patientId: patient.id,
    });
    expect(event.detail).toEqual({ decision: 'agree', version: String(current.version) });

    expect((await saveAnswers(client, token)).status).toBe(200);
    expect((await client.agent.get('/intake/consent')).headers.location).toBe('/intake');
  });

  it('does not agree: nothing is saved, the page names the clinic and its contact; the same link can agree later', async () => {
    expect((await saveNotice(DEFAULT_CONSENT_TEXT, 'Call the front desk: 555 0100')).status).toBe(
      303,
    );
    const link = await invite(clinician, patient);
    const { client } = await openLink(t.server, link, { consent: false });
    const refused = await answerConsent(client, 'refuse');
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe('/intake/declined');
    const page = await client.agent.get('/intake/declined').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Nothing was saved');
    expect(page.text).toContain('Harbour Clinic');
    expect(page.text).toContain('Call the front desk: 555 0100');
    const intake = await intakeOf(link.id);
    expect(intake.consentedAt).toBeNull();
    expect(intake.answers).toEqual({});
    expect(await consentEvents(intake.id)).toEqual([
      expect.objectContaining({ outcome: 'failure', detail: { decision: 'refuse' } }),
    ]);

    // Changed their mind: the same link, another time.
    const again = await openLink(t.server, link);
    expect((await saveAnswers(again.client, again.token)).status).toBe(200);
    expect((await intakeOf(link.id)).consentedAt).not.toBeNull();
  });

  it('does not ask again for the same intake, on another device with the same link', async () => {
    const link = await invite(clinician, patient);
    await openLink(t.server, link);
    const first = (await intakeOf(link.id)).consentedAt;
    const other = browser(t.server);
    const opened = await other.agent.get(new URL(link.link).pathname);
    expect(opened.status).toBe(303);
    const resumed = await other.agent.get('/intake').set('Accept', 'text/html');
    expect(resumed.headers.location).toBe('/intake/context');
    expect((await other.agent.get('/intake/consent')).headers.location).toBe('/intake');
    expect((await intakeOf(link.id)).consentedAt).toEqual(first);
    expect(await consentEvents((await intakeOf(link.id)).id)).toHaveLength(1);
  });

  it('asks an intake begun before consent was asked at its next page, keeping its answers', async () => {
    const link = await invite(clinician, patient);
    const { client, token } = await openLink(t.server, link);
    expect((await saveAnswers(client, token)).status).toBe(200);
    // As it stood before this change: in progress, no consent recorded.
    await t.dataSource.query(
      `UPDATE intakes SET consent_text_id = NULL, consent_version = NULL, consented_at = NULL WHERE invitation_id = $1`,
      [link.id],
    );
    const next = await client.agent.get('/intake/diet').set('Accept', 'text/html');
    expect(next.headers.location).toBe('/intake/consent');
    expect((await answerConsent(client, 'agree')).status).toBe(303);
    const intake = await intakeOf(link.id);
    expect(intake.consentedAt).not.toBeNull();
    expect(intake.answers).toEqual({ sex: 'male', ageBand: '40-49' });
  });

  it('an admin saves a new version (old ones kept, audited); a patient shown the old one reads the new', async () => {
    const link = await invite(clinician, patient);
    const { client } = await openLink(t.server, link, { consent: false });
    const shown = await client.agent.get('/intake/consent').set('Accept', 'text/html');
    const before = await t.dataSource.getRepository(ConsentTextEntity).countBy({ clinicId });

    const body = 'Harbour Clinic keeps your answers for your visits.\n\nAsk us anything.';
    expect((await saveNotice(body, '')).status).toBe(303);
    const versions = await t.dataSource
      .getRepository(ConsentTextEntity)
      .find({ where: { clinicId }, order: { version: 'DESC' } });
    expect(versions).toHaveLength(before + 1);
    expect(versions[0]).toMatchObject({ version: before + 1, body, contact: null });
    const [event] = await t.dataSource
      .getRepository(AuditEventEntity)
      .findBy({ action: 'clinic.consent_text', targetId: versions[0].id });
    expect(event.detail).toEqual({ version: before + 1, length: body.length, contact: false });
    // The same text again makes no version.
    expect((await saveNotice(body, '')).status).toBe(303);
    expect(await t.dataSource.getRepository(ConsentTextEntity).countBy({ clinicId })).toBe(
      before + 1,
    );

    // The patient agrees to what they were shown, which is no longer current: shown the new one.
    const late = await client.agent
      .post('/intake/consent')
      .type('form')
      .send({
        _csrf: csrfFrom(shown.text),
        consentTextId: consentTextIdFrom(shown.text),
        decision: 'agree',
      });
    expect(late.headers.location).toBe('/intake/consent?changed=1');
    expect((await intakeOf(link.id)).consentedAt).toBeNull();
    const fresh = await client.agent.get('/intake/consent?changed=1').set('Accept', 'text/html');
    expect(fresh.text).toContain('Ask us anything.');
    expect(fresh.text).toContain('Your clinic has just updated this notice');
    expect((await answerConsent(client, 'agree')).status).toBe(303);
    expect((await intakeOf(link.id)).consentVersion).toBe(before + 1);

    const settings = await admin.agent.get('/admin/clinic').set('Accept', 'text/html');
    expect(settings.text).toContain(`Version ${before}`);
  });

  it('refuses a blank, disguised or too long notice, naming the field and keeping what was typed', async () => {
    const count = await t.dataSource.getRepository(ConsentTextEntity).countBy({ clinicId });
    for (const [body, contact, field] of [
      ['   ', '', 'body'],
      ['x'.repeat(10_001), '', 'body'],
      ['Plain text with a hidden \u202e override', '', 'body'],
      ['A fine notice.', 'Line one\nline two', 'contact'],
      // Patients read it before the first question: no advice about medicines, in either field.
      ['Keep injecting your usual dose on Mondays.', '', 'body'],
      ['A fine notice.', 'Double your dose if you miss a day', 'contact'],
    ]) {
      const refused = await saveNotice(body, contact);
      expect([field, refused.status]).toEqual([field, 400]);
      expect(refused.text).toContain(`href="#field-${field}"`);
    }
    const kept = await saveNotice('Typed with care.\n\u202e', '');
    expect(kept.text).toContain('Typed with care.');
    expect(await t.dataSource.getRepository(ConsentTextEntity).countBy({ clinicId })).toBe(count);
    // Clinicians may not change it.
    const page = await clinician.agent.get('/').set('Accept', 'text/html');
    const denied = await clinician.agent
      .post('/admin/clinic/consent')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), body: 'Mine now.', contact: '' });
    expect(denied.status).toBe(403);
  });

  it('shows the consent on the intake review page and in the clinician guide footer', async () => {
    const { intake, assessment } = await submitIntake(t.server, t.dataSource, clinician, patient);
    const review = await clinician.agent.get(`/intakes/${intake.id}`).set('Accept', 'text/html');
    expect(review.text).toMatch(
      new RegExp(`Consent: agreed to privacy notice version ${intake.consentVersion} on \\d{4}-`),
    );
    const guide = await clinician.agent
      .get(`/api/assessments/${assessment.id}/handouts/clinician`)
      .buffer(true)
      .parse(asBytes);
    expect(guide.status).toBe(200);
    const { text } = readPdf(guide.body as Buffer);
    expect(text.replace(/\s+/g, ' ')).toMatch(
      new RegExp(`Consent: notice version ${intake.consentVersion} agreed \\d{4}-\\d\\d-\\d\\d`),
    );
    const notes = await clinician.agent
      .get(`/api/assessments/${assessment.id}/handouts/patient`)
      .buffer(true)
      .parse(asBytes);
    expect(readPdf(notes.body as Buffer).text).not.toContain('Consent:');
  });

  it('shows "not recorded" for an intake sent before consent was asked, in the page and the guide', async () => {
    const { intake, assessment } = await submitIntake(t.server, t.dataSource, clinician, patient);
    await t.dataSource.query(
      `UPDATE intakes SET consent_text_id = NULL, consent_version = NULL, consented_at = NULL WHERE id = $1`,
      [intake.id],
    );
    const review = await clinician.agent.get(`/intakes/${intake.id}`).set('Accept', 'text/html');
    expect(review.text).toContain('Consent: not recorded (before consent was asked)');
    const guide = await clinician.agent
      .get(`/api/assessments/${assessment.id}/handouts/clinician`)
      .buffer(true)
      .parse(asBytes);
    expect(readPdf(guide.body as Buffer).text.replace(/\s+/g, ' ')).toContain(
      'Consent: not recorded (before consent was asked)',
    );
  });
});
