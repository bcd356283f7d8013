import { AssessmentEntity } from '../src/assessments/assessment.entity';
import { IntakeEntity } from '../src/intakes/intake.entity';
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
import { loadContent } from '../src/content/content';
import { agreeIfAsked } from './support/patient-link';

describe('assessments: stored at submission, recomputed without losing the old one', () => {
  let t: TestApp;
  let clinician: Browser;
  let intake: IntakeEntity;
  const version = loadContent().knowledgeBase.version;

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Rules Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@rules.test' });
    const patient = await createPatient(t.dataSource, user);
    clinician = await signIn(t.server, user);
    const made = await clinician.agent
      .post(`/api/patients/${patient.id}/invitations`)
      .set('X-CSRF-Token', await clinician.csrf())
      .send({ protocol: 'trt', replace: true });

    // The patient: short sleep, drinks heavily, submits.
    const patientBrowser = browser(t.server);
    await patientBrowser.agent.get(new URL(made.body.link as string).pathname);
    await agreeIfAsked(patientBrowser);
    const token = csrfFrom(
      (await patientBrowser.agent.get('/intake/context').set('Accept', 'text/html')).text,
    );
    const saved = await patientBrowser.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', token)
      .send({
        context: { sex: 'male', ageBand: '40-49' },
        diet: { auditFrequency: 4, auditTypicalDrinks: 2, auditSixOrMore: 3 },
        sleep: { hoursAsleep: 5.5 },
      });
    const submitted = await patientBrowser.agent
      .post('/api/intake/submit')
      .set('X-CSRF-Token', token);
    if (saved.status !== 200 || submitted.status !== 201) {
      throw new Error(`Setup failed: save ${saved.status}, submit ${submitted.status}`);
    }
    intake = await t.dataSource
      .getRepository(IntakeEntity)
      .findOneByOrFail({ invitationId: made.body.id as string });
  });
  afterAll(() => t.close());

  it('stores the assessment with the ruleset version in the submission', async () => {
    const rows = await t.dataSource.getRepository(AssessmentEntity).findBy({ intakeId: intake.id });
    expect(rows).toHaveLength(1);
    expect(rows[0].rulesetVersion).toBe(version);
    const results = rows[0].results as {
      points: { ruleId: string; why: unknown[]; sources: unknown[] }[];
    };
    expect(results.points.length).toBeGreaterThan(0);
    for (const point of results.points) {
      expect(point.why.length).toBeGreaterThan(0);
      expect(point.sources.length).toBeGreaterThan(0);
    }
    expect(rows[0].flaggedPillars).toEqual(expect.arrayContaining(['sleep']));
  });

  it('lists assessments to a clinician of the clinic, and to no one else', async () => {
    const listed = await clinician.agent.get(`/api/intakes/${intake.id}/assessments`);
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    const other = await signIn(
      t.server,
      await createUser(t.dataSource, await createClinic(t.dataSource, 'Elsewhere'), {
        email: 'x@elsewhere.test',
      }),
    );
    expect((await other.agent.get(`/api/intakes/${intake.id}/assessments`)).status).toBe(404);
    expect(
      (
        await other.agent
          .post(`/api/intakes/${intake.id}/assessments`)
          .set('X-CSRF-Token', await other.csrf())
      ).status,
    ).toBe(404);
  });

  it('recomputes with the current ruleset, keeping the assessment an older ruleset made', async () => {
    // Pretend the stored assessment came from an older ruleset.
    await t.dataSource.query(
      `UPDATE assessments SET ruleset_version = '2026-10.1' WHERE intake_id = $1`,
      [intake.id],
    );
    const token = await clinician.csrf();
    const recomputed = await clinician.agent
      .post(`/api/intakes/${intake.id}/assessments`)
      .set('X-CSRF-Token', token);
    expect(recomputed.status).toBe(201);
    expect(recomputed.body.rulesetVersion).toBe(version);
    const again = await clinician.agent
      .post(`/api/intakes/${intake.id}/assessments`)
      .set('X-CSRF-Token', token);
    expect(again.body.id).toBe(recomputed.body.id); // the same version makes no second row

    const versions = (
      await t.dataSource.getRepository(AssessmentEntity).findBy({ intakeId: intake.id })
    )
      .map((a) => a.rulesetVersion)
      .sort();
    expect(versions).toEqual(['2026-10.1', version].sort());
  });
});
