import { AssessmentEntity } from '../src/assessments/assessment.entity';
import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { htmlToText } from '../src/handouts/html-text';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { InvitationEntity } from '../src/invitations/invitation.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import { TYPICAL_ANSWERS } from './support/intake-flow';
import { PatientSession, startPatientSession } from './support/patient-link';
import { asBytes, readPdf } from './support/pdf';
import {
  browser,
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

interface StoredPoint {
  ruleId: string;
  kind: 'concern' | 'strength';
  patientText: string;
}

/** Words as a reader sees them: entities decoded, whitespace as single spaces. */
const words = (html: string) => htmlToText(html).replace(/\s+/g, ' ');
const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

describe("the patient's take-home notes on their own link, after the visit", () => {
  let t: TestApp;
  let clinician: Browser;
  let patient: PatientEntity;
  let session: PatientSession;
  let other: PatientSession;
  let intake: IntakeEntity;
  let assessment: AssessmentEntity;
  let kept: StoredPoint;
  let excluded: StoredPoint;
  let strength: StoredPoint;

  const notesPage = (client = session.client) =>
    client.agent.get('/intake/thank-you').set('Accept', 'text/html');
  const notesPdf = (paper?: string, client = session.client) =>
    client.agent
      .get('/intake/notes/pdf')
      .query(paper ? { paper } : {})
      .buffer(true)
      .parse(asBytes);
  const events = (action: string) =>
    t.dataSource.getRepository(AuditEventEntity).find({
      where: { action: action as AuditEventEntity['action'] },
      order: { occurredAt: 'ASC' },
    });

  /** The patient answers and sends through the real HTTP stack, in their own browser. */
  const answerAndSend = async (s: PatientSession) => {
    const saved = await s.client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', s.token)
      .send(TYPICAL_ANSWERS);
    const sent = await s.client.agent.post('/api/intake/submit').set('X-CSRF-Token', s.token);
    expect([saved.status, sent.status]).toEqual([200, 201]);
    return t.dataSource
      .getRepository(IntakeEntity)
      .findOneByOrFail({ invitationId: s.invitation.id });
  };

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Take-home Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@takehome.test' });
    patient = await createPatient(t.dataSource, user, { givenName: 'Tia', familyName: 'Home' });
    const neighbour = await createPatient(t.dataSource, user, {
      givenName: 'Ned',
      familyName: 'Bour',
    });
    clinician = await signIn(t.server, user);
    session = await startPatientSession(t.server, clinician, patient);
    other = await startPatientSession(t.server, clinician, neighbour);
    intake = await answerAndSend(session);
    await answerAndSend(other);
    assessment = await t.dataSource
      .getRepository(AssessmentEntity)
      .findOneByOrFail({ intakeId: intake.id });
    const points = (assessment.results as { points: StoredPoint[] }).points;
    const concerns = points.filter((point) => point.kind === 'concern');
    if (concerns.length < 2) throw new Error('Setup: the answers should make two points or more');
    [kept, excluded] = concerns;
    strength = points.find((point) => point.kind === 'strength')!;
    for (const [point, fields] of [
      [kept, { mark: 'discussed' }],
      [excluded, { mark: 'not_relevant', reason: 'Works nights' }],
    ] as const) {
      const marked = await clinician.postForm(
        `/assessments/${assessment.id}/points/${point.ruleId}`,
        fields,
      );
      if (marked.status !== 303) throw new Error(`Setup: marking gave ${marked.status}`);
    }
  });
  afterAll(() => t.close());

  it('before the review: thanks, says the notes come after the visit, and shows none of them', async () => {
    const page = await notesPage();
    expect(page.status).toBe(200);
    const text = words(page.text);
    expect(text).toContain('Thank you');
    expect(text).toMatch(/Your notes will appear here after your visit/);
    expect(text).not.toContain(squeeze(kept.patientText));
    expect(text).not.toContain('Where these ideas come from');
    expect(page.text).not.toContain('/intake/notes/pdf');

    const pdf = await notesPdf();
    expect(pdf.status).toBe(404);
    expect(pdf.headers['content-type']).not.toBe('application/pdf');
    expect(await events('takehome.view')).toHaveLength(0);
    expect(await events('takehome.download')).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        actorType: 'patient',
        actorId: session.invitation.id,
        patientId: patient.id,
      }),
    ]);
  });

  it('after the clinician completes the review: the kept points in plain language, strengths and sources, not the excluded one', async () => {
    const completed = await clinician.postForm(`/intakes/${intake.id}/review`, { confirm: 'yes' });
    expect(completed.status).toBe(303);

    const page = await notesPage();
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toMatch(/no-store/);
    const text = words(page.text);
    expect(text).toContain('Your lifestyle notes');
    expect(text).toContain(squeeze(kept.patientText));
    expect(text).not.toContain(squeeze(excluded.patientText));
    expect(text).toContain(squeeze(strength.patientText));
    expect(text).toContain('Where these ideas come from');
    expect(page.text).toContain('href="/intake/notes/pdf?paper=a4"');
    expect(page.text).toContain('href="/intake/notes/pdf?paper=letter"');

    expect(await events('takehome.view')).toEqual([
      expect.objectContaining({
        outcome: 'success',
        actorType: 'patient',
        actorId: session.invitation.id,
        patientId: patient.id,
        clinicId: patient.clinicId,
        targetType: 'assessment',
        targetId: assessment.id,
      }),
    ]);
  });

  it('stays the reviewed notes when the intake is assessed again after the review (a newer ruleset, no marks)', async () => {
    // As "assess again" under a newer ruleset does: a later assessment, which carries no marks.
    await t.dataSource.query(
      `INSERT INTO assessments (clinic_id, intake_id, ruleset_version, results, flagged_pillars, created_at)
       SELECT clinic_id, intake_id, ruleset_version || '-later', results, flagged_pillars, now() + interval '1 minute'
       FROM assessments WHERE id = $1`,
      [assessment.id],
    );
    const text = words((await notesPage()).text);
    expect(text).toContain(squeeze(kept.patientText));
    expect(text).not.toContain(squeeze(excluded.patientText));
  });

  it('downloads the patient notes PDF (A4 and US Letter), which says what the page says', async () => {
    const page = words((await notesPage()).text);
    for (const [paper, size] of [
      ['a4', /595\.\d* x 841\.\d* pts/],
      ['letter', /612 x 792 pts/],
    ] as const) {
      const response = await notesPdf(paper);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toMatch(
        new RegExp(
          `^attachment; filename="patient-notes-\\d{4}-\\d{2}-\\d{2}-${paper}-[0-9a-f]{8}\\.pdf"$`,
        ),
      );
      const pdf = readPdf(response.body as Buffer);
      expect(pdf.pageSize).toMatch(size);
      expect(pdf.text).toContain('Your lifestyle notes');
      expect(pdf.text).toContain(squeeze(kept.patientText));
      expect(pdf.text).not.toContain(squeeze(excluded.patientText));
      // The page shows the same sources the PDF lists.
      expect(pdf.text).toContain('Where these ideas come from');
    }
    expect(page).toContain(squeeze(kept.patientText));

    const downloads = (await events('takehome.download')).filter((e) => e.outcome === 'success');
    expect(downloads).toEqual(
      ['a4', 'letter'].map((paper) =>
        expect.objectContaining({
          actorType: 'patient',
          actorId: session.invitation.id,
          patientId: patient.id,
          targetId: assessment.id,
          detail: expect.objectContaining({ paper }) as unknown,
        }),
      ),
    );
    const bad = await notesPdf('a5');
    expect(bad.status).toBe(400);
  });

  it("another patient's link reaches only their own, unreviewed intake: none of these notes", async () => {
    const page = await notesPage(other.client);
    expect(page.status).toBe(200);
    const text = words(page.text);
    expect(text).toMatch(/Your notes will appear here after your visit/);
    expect(text).not.toContain(squeeze(kept.patientText));
    expect((await notesPdf('a4', other.client)).status).toBe(404);
  });

  it('an expired link shows nothing of the notes', async () => {
    const invitations = t.dataSource.getRepository(InvitationEntity);
    const { createdAt, expiresAt } = await invitations.findOneByOrFail({
      id: session.invitation.id,
    });
    await invitations.update(session.invitation.id, {
      createdAt: new Date(Date.now() - 2 * 86_400_000),
      expiresAt: new Date(Date.now() - 1000),
    });
    try {
      const page = await notesPage();
      expect(page.status).not.toBe(200);
      expect(words(page.text)).not.toContain(squeeze(kept.patientText));
      expect((await notesPdf()).status).not.toBe(200);
    } finally {
      await invitations.update(session.invitation.id, { createdAt, expiresAt });
    }
    // Open again (the session ended with the expiry): the notes are back until the link ends.
    session = { ...session, client: (await reopen()).client };
    expect(words((await notesPage()).text)).toContain(squeeze(kept.patientText));
  });

  it('a revoked link never shows the notes again, from the session or the link', async () => {
    const revoked = await clinician.agent
      .post(`/api/invitations/${session.invitation.id}/revoke`)
      .set('X-CSRF-Token', await clinician.csrf());
    expect(revoked.status).toBe(201);
    const page = await notesPage();
    expect(page.status).not.toBe(200);
    expect(words(page.text)).not.toContain(squeeze(kept.patientText));
    expect((await notesPdf()).status).not.toBe(200);

    const reopened = await reopenRaw();
    expect(reopened.status).toBe(410);
    expect(words(reopened.text)).not.toContain(squeeze(kept.patientText));
  });

  const reopenRaw = () =>
    startFresh().agent.get(new URL(session.invitation.link).pathname).set('Accept', 'text/html');
  /** A new browser: the old one's session ended with the link. */
  const startFresh = () => browser(t.server);
  const reopen = async () => {
    const client = startFresh();
    const opened = await client.agent.get(new URL(session.invitation.link).pathname);
    expect(opened.status).toBe(303);
    return { client };
  };
});
