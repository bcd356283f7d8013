import { AssessmentEntity } from '../src/assessments/assessment.entity';
import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { HandoutEntity } from '../src/handouts/handout.entity';
import { submitIntake, TYPICAL_ANSWERS } from './support/intake-flow';
import { asBytes, readPdf } from './support/pdf';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';
import { loadContent } from '../src/content/content';

interface StoredPoint {
  ruleId: string;
  kind: string;
  summary: string;
  patientText: string;
  detail: string;
}

describe('handouts: PDFs read back, stored once, refused by the guard', () => {
  let t: TestApp;
  let clinician: Browser;
  let assessment: AssessmentEntity;
  const version = loadContent().knowledgeBase.version;

  const download = (kind: string, id = assessment.id, paper?: string, client = clinician) =>
    client.agent
      .get(`/api/assessments/${id}/handouts/${kind}`)
      .query(paper ? { paper } : {})
      .buffer(true)
      .parse(asBytes);

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Handout Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@handout.test' });
    // A name that looks like HTML and Handlebars must print as text.
    const patient = await createPatient(t.dataSource, user, {
      givenName: '<b>Ann</b>',
      familyName: '{{constructor}}',
      reference: 'H-1',
    });
    clinician = await signIn(t.server, user);
    // The patient's free text names a dose: it must never reach a handout.
    ({ assessment } = await submitIntake(t.server, t.dataSource, clinician, patient, {
      ...TYPICAL_ANSWERS,
      stress: { routineNotes: 'I take 200 mg testosterone cypionate weekly' },
    }));
  });
  afterAll(() => t.close());

  it('gives the clinician guide: header, points with why and source, strengths, unanswered, sources, footer', async () => {
    const response = await download('clinician');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="discussion-guide-\d{4}-\d{2}-\d{2}-a4-[0-9a-f]{8}\.pdf"$/,
    );
    expect(response.headers['cache-control']).toBe('no-store');

    const { text, pages, pageSize } = readPdf(response.body as Buffer);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(3);
    expect(pageSize).toContain('595.'); // A4 width in points
    for (const words of [
      'Handout Clinic',
      'Lifestyle discussion guide',
      '<b>Ann</b> {{constructor}} (H-1)',
      'Testosterone replacement (TRT)',
    ]) {
      expect(text).toContain(words);
    }
    const points = (assessment.results as { points: StoredPoint[] }).points;
    expect(points.length).toBeGreaterThan(2);
    for (const point of points) expect(text).toContain(point.summary.slice(0, 40));
    expect(text).toContain('Why:');
    expect(text).toContain('Source:');
    expect(text).toContain('Questions left unanswered');
    expect(text).toContain('Why individualized lifestyle guidance matters for hormonal protocols');
    expect(text).toContain(`Ruleset ${version}`);
    expect(text).toContain('contains no dosing advice');
    expect(text).toMatch(/Page 1 of \d/);
    // The patient's free text is never printed.
    expect(text).not.toContain('200 mg');
  });

  it('gives the patient notes in plain language, without the clinician jargon', async () => {
    const response = await download('patient');
    expect(response.status).toBe(200);
    const { text, pages } = readPdf(response.body as Buffer);
    expect(pages).toBeLessThanOrEqual(3);
    expect(text).toContain('Your lifestyle notes');
    const points = (assessment.results as { points: StoredPoint[] }).points;
    for (const point of points) expect(text).toContain(point.patientText.slice(0, 40));
    for (const jargon of ['Why:', 'AUDIT-C', 'AASM', 'PSS-10', 'WHO 2020', 'estrobolome', 'HPG'])
      expect(text).not.toContain(jargon);
  });

  it('stores each handout once and returns the same bytes again', async () => {
    const first = await download('clinician');
    const again = await download('clinician');
    expect(Buffer.compare(first.body as Buffer, again.body as Buffer)).toBe(0);
    const stored = await t.dataSource
      .getRepository(HandoutEntity)
      .findBy({ assessmentId: assessment.id, kind: 'clinician' });
    expect(stored).toHaveLength(1);
    expect(stored[0].byteSize).toBe((first.body as Buffer).length);
  });

  it('makes US Letter on request, stored apart from A4', async () => {
    const letter = await download('patient', assessment.id, 'letter');
    expect(readPdf(letter.body as Buffer).pageSize).toContain('612 x 792');
    expect(letter.headers['content-disposition']).toMatch(
      /filename="patient-notes-\d{4}-\d{2}-\d{2}-letter-[0-9a-f]{8}\.pdf"/,
    );
    expect(
      await t.dataSource
        .getRepository(HandoutEntity)
        .countBy({ assessmentId: assessment.id, kind: 'patient' }),
    ).toBe(2);
    expect((await download('patient', assessment.id, 'tabloid')).status).toBe(400);
  });

  it('follows the review: a point marked not relevant leaves the patient notes, and a new mark never serves the old PDF', async () => {
    const points = (assessment.results as { points: StoredPoint[] }).points;
    const [dropped, discussed] = points.filter((point) => point.kind === 'concern');
    const before = readPdf((await download('patient')).body as Buffer).text;
    expect(before).toContain(dropped.patientText.slice(0, 40));

    const mark = async (pointId: string, fields: Record<string, string>) => {
      const response = await clinician.postForm(
        `/assessments/${assessment.id}/points/${pointId}`,
        fields,
      );
      expect(response.status).toBe(303);
    };
    await mark(dropped.ruleId, { mark: 'not_relevant', reason: 'Already addressed' });
    await mark(discussed.ruleId, { mark: 'discussed' });

    const notes = readPdf((await download('patient')).body as Buffer).text;
    expect(notes).not.toContain(dropped.patientText.slice(0, 40));
    expect(notes).toContain(discussed.patientText.slice(0, 40));

    const guide = readPdf((await download('clinician')).body as Buffer).text;
    expect(guide).toContain('Marked not relevant by the clinician');
    expect(guide).toContain('Discussed');
    // The reason is the clinician's own words: it stays on the dashboard, out of the PDF.
    expect(guide).not.toContain('Already addressed');

    // Taking the mark back serves the first PDF again, with the point in it.
    await mark(dropped.ruleId, { mark: '', reason: '', note: '' });
    await mark(discussed.ruleId, { mark: '', reason: '', note: '' });
    const again = readPdf((await download('patient')).body as Buffer).text;
    expect(again).toContain(dropped.patientText.slice(0, 40));
  });

  it("answers 404 for an unknown kind, and for another clinic's assessment", async () => {
    expect((await download('poster')).status).toBe(404);
    const stranger = await signIn(
      t.server,
      await createUser(t.dataSource, await createClinic(t.dataSource, 'Other'), {
        email: 'x@o.test',
      }),
    );
    expect((await download('clinician', assessment.id, undefined, stranger)).status).toBe(404);
  });

  it('refuses to produce a handout whose text reads as dosing advice, sending and storing nothing', async () => {
    // A tampered assessment (as if a bad rule had slipped through): one point now names a dose.
    const tampered = structuredClone(assessment.results) as { points: StoredPoint[] };
    tampered.points[0].detail = 'Raise the testosterone cypionate injection to 200 mg every week.';
    tampered.points[0].patientText = 'Take 200 mg of testosterone cypionate every week.';
    const copy = await t.dataSource.getRepository(AssessmentEntity).save({
      clinicId: assessment.clinicId,
      intakeId: assessment.intakeId,
      rulesetVersion: '2026-01.9',
      results: tampered,
      flaggedPillars: [],
      createdAt: new Date(),
    });
    for (const kind of ['clinician', 'patient']) {
      const refused = await download(kind, copy.id);
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toMatch(/json/);
      expect(JSON.parse((refused.body as Buffer).toString()).code).toBe('handout_refused');
    }
    expect(await t.dataSource.getRepository(HandoutEntity).countBy({ assessmentId: copy.id })).toBe(
      0,
    );
    const failures = await t.dataSource
      .getRepository(AuditEventEntity)
      .countBy({ action: 'handout.download', targetId: copy.id, outcome: 'failure' });
    expect(failures).toBe(2);
  });
});
