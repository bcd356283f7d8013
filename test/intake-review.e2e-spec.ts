import { AssessmentEntity } from '../src/assessments/assessment.entity';
import { PointReviewEntity } from '../src/assessments/point-review.entity';
import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import { submitIntake } from './support/intake-flow';
import {
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
  kind: string;
  summary: string;
}

describe('reviewing an intake: scores, points with marks and notes, answers, closing the review', () => {
  let t: TestApp;
  let clinician: Browser;
  let patient: PatientEntity;
  let intake: IntakeEntity;
  let assessment: AssessmentEntity;
  let concern: StoredPoint;

  const page = async () => {
    const response = await clinician.agent.get(`/intakes/${intake.id}`).set('Accept', 'text/html');
    expect(response.status).toBe(200);
    return response.text;
  };
  const mark = (fields: Record<string, string>, pointId = concern.ruleId) =>
    clinician.postForm(`/assessments/${assessment.id}/points/${pointId}`, fields);
  const reviewRow = () =>
    t.dataSource
      .getRepository(PointReviewEntity)
      .findOneBy({ assessmentId: assessment.id, pointId: concern.ruleId });

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Review Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@review.test' });
    patient = await createPatient(t.dataSource, user, { givenName: 'Rae', familyName: 'Review' });
    clinician = await signIn(t.server, user);
    ({ intake, assessment } = await submitIntake(t.server, t.dataSource, clinician, patient));
    const points = (assessment.results as { points: StoredPoint[] }).points;
    concern = points.find((point) => point.kind === 'concern')!;
  });
  afterAll(() => t.close());

  it('shows scores with their bands, the points with why and source, the answers and both handouts', async () => {
    const html = await page();
    expect(html).toContain('AUDIT-C (alcohol)');
    expect(html).toContain('Screen positive (cut-off 4)');
    expect(html).toContain('Not scored: some answers were left blank'); // PSS-10 was skipped
    expect(html).toContain(concern.summary.replace(/'/g, '&#x27;').slice(0, 30));
    expect(html).toContain('<strong>Why:</strong>');
    expect(html).toContain('<strong>Source:</strong>');
    expect(html).toContain('How many hours of actual sleep');
    // Handlebars writes = as &#x3D; in attributes; the browser reads it back as =.
    expect(html).toContain(`/assessments/${assessment.id}/handouts/clinician?paper&#x3D;a4`);
    expect(html).toContain(`/assessments/${assessment.id}/handouts/patient?paper&#x3D;letter`);
    expect(html).toContain('0 of');
  });

  it('refuses "not relevant" without a reason, naming the field and keeping the typed note', async () => {
    const refused = await mark({ mark: 'not_relevant', reason: ' ', note: 'Asked about shifts' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`href="#field-reason-${concern.ruleId}"`);
    expect(refused.text).toContain('Say why this point is not relevant.');
    expect(refused.text).toContain('Asked about shifts</textarea>');
    expect(refused.text).toMatch(/value="not_relevant" checked/);
    expect(await reviewRow()).toBeNull();
  });

  it('saves a mark and note with who and when, changes it, and clears it', async () => {
    const saved = await mark({ mark: 'not_relevant', reason: 'Works nights', note: 'Revisit' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toMatch(new RegExp(`^/intakes/${intake.id}#point-`));
    expect(await reviewRow()).toMatchObject({
      mark: 'not_relevant',
      reason: 'Works nights',
      note: 'Revisit',
    });
    const html = await page();
    expect(html).toContain('Not relevant');
    expect(html).toContain('Reason: Works nights');
    expect(html).toContain('by User doc@review.test');
    expect(html).toContain('1 of');

    await mark({ mark: 'discussed', reason: 'ignored unless not relevant', note: '' });
    expect(await reviewRow()).toMatchObject({ mark: 'discussed', reason: null, note: null });

    await mark({ mark: '', reason: '', note: '' });
    expect(await reviewRow()).toBeNull();
  });

  it('answers 404 for a point the assessment does not have', async () => {
    const response = await mark({ mark: 'discussed' }, 'no.such-rule');
    expect(response.status).toBe(404);
  });

  it('audits each view and mark with identifiers only, never the words of a note', async () => {
    await mark({ mark: 'discussed', note: 'Patient mentioned a sensitive detail' });
    const events = await t.dataSource
      .getRepository(AuditEventEntity)
      .findBy({ action: 'point.review', targetId: assessment.id });
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(events.at(-1)?.detail).toEqual({
      pointId: concern.ruleId,
      mark: 'discussed',
      note: true,
    });
    expect(JSON.stringify(events)).not.toContain('sensitive');
    expect(JSON.stringify(events)).not.toContain('Works nights');
    const views = await t.dataSource
      .getRepository(AuditEventEntity)
      .countBy({ action: 'intake.view', targetId: intake.id, outcome: 'success' });
    expect(views).toBeGreaterThanOrEqual(2);
  });

  it('asks to confirm while points are unmarked, saying how many are marked', async () => {
    const asked = await clinician.postForm(`/intakes/${intake.id}/review`, {});
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(`/intakes/${intake.id}?confirm=complete#complete`);
    const question = await clinician.agent.get(asked.headers.location).set('Accept', 'text/html');
    expect(question.text).toMatch(/Complete the review with \d+ points? unmarked\?/);
    expect(question.text).toMatch(/1 of \d+ discussion points marked/);
    const stored = await t.dataSource
      .getRepository(IntakeEntity)
      .findOneByOrFail({ id: intake.id });
    expect(stored.status).toBe('submitted');
  });

  it('closes the review once: the intake and the patient list show it reviewed', async () => {
    const done = await clinician.postForm(`/intakes/${intake.id}/review`, { confirm: 'yes' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/intakes/${intake.id}`);
    const again = await clinician.postForm(`/intakes/${intake.id}/review`, { confirm: 'yes' });
    expect(again.status).toBe(303);
    const stored = await t.dataSource
      .getRepository(IntakeEntity)
      .findOneByOrFail({ id: intake.id });
    expect(stored.status).toBe('reviewed');
    expect(stored.reviewedAt).not.toBeNull();
    expect(
      await t.dataSource
        .getRepository(AuditEventEntity)
        .countBy({ action: 'intake.review', targetId: intake.id }),
    ).toBe(1);
    const summary = await t.dataSource
      .getRepository(PatientEntity)
      .findOneByOrFail({ id: patient.id });
    expect(summary.intakeStatus).toBe('reviewed');
    expect(await page()).toContain('Review completed');
  });

  it('shows the patient page with the intake, the latest assessment and the handout links', async () => {
    const response = await clinician.agent
      .get(`/patients/${patient.id}`)
      .set('Accept', 'text/html');
    expect(response.status).toBe(200);
    expect(response.text).toContain(`href="/intakes/${intake.id}"`);
    expect(response.text).toContain('Review points and answers');
    expect(response.text).toContain(`/assessments/${assessment.id}/handouts/patient`);
    expect(response.text).toContain('Reviewed');
    expect(response.text).toMatch(/1 of \d+ points marked/);
  });
});
