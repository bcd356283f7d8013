import { PasswordHasher } from '../src/auth/password-hasher';
import { PatientEntity } from '../src/patients/patient.entity';
import { seedDemo } from '../src/seed/demo-seed';
import { asBytes, readPdf } from './support/pdf';
import { Browser, signIn, startTestApp, TestApp } from './support/test-app';

/** What a newcomer sees right after the first `npm start`: a clinic already at work. */
describe('the demo clinic', () => {
  let t: TestApp;
  let clinician: Browser;
  const summary = async (familyName: string) =>
    t.dataSource.getRepository(PatientEntity).findOneByOrFail({ familyName });

  beforeAll(async () => {
    t = await startTestApp();
    const logins = await seedDemo(t.dataSource, new PasswordHasher());
    const login = logins!.find((l) => l.role === 'clinician')!;
    clinician = await signIn(t.server, { user: {} as never, ...login });
  });
  afterAll(() => t.close());

  it('asks its staff to set up two-step sign-in, as a new clinic does', async () => {
    const [clinic] = await t.dataSource.query<{ mfa_required: boolean }[]>(
      `SELECT mfa_required FROM clinics`,
    );
    expect(clinic.mfa_required).toBe(true);
    const [enrolled] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM users WHERE mfa_enrolled_at IS NOT NULL`,
    );
    expect(enrolled.n).toBe(1); // the clinician, by signing in above
  });

  it('is made once: seeding again changes nothing', async () => {
    expect(await seedDemo(t.dataSource, new PasswordHasher())).toBeUndefined();
    expect(await t.dataSource.getRepository(PatientEntity).count()).toBe(5);
  });

  it('has patients in every state of the list, on four protocols', async () => {
    expect((await summary('Morgan')).intakeStatus).toBe('submitted');
    expect((await summary('Lee')).intakeStatus).toBe('reviewed');
    expect((await summary('Okafor')).intakeStatus).toBe('submitted');
    expect((await summary('Novak')).intakeStatus).toBe('in_progress');
    expect((await summary('Haddad')).intakeStatus).toBe('none');
    const list = await clinician.agent
      .get('/')
      .query({ status: 'submitted' })
      .set('Accept', 'text/html');
    expect(list.text).toContain('Morgan, Alex');
    expect(list.text).toContain('Okafor, Sam');
  });

  it('shows a trend across two intakes, a review with marks, and both handouts', async () => {
    const morgan = await summary('Morgan');
    const page = await clinician.agent.get(`/patients/${morgan.id}`).set('Accept', 'text/html');
    expect(page.text).toContain('Trends across 2 intakes');

    const lee = await summary('Lee');
    const leePage = await clinician.agent.get(`/patients/${lee.id}`).set('Accept', 'text/html');
    const assessmentId = /\/assessments\/([0-9a-f-]{36})\/handouts\/clinician/.exec(
      leePage.text,
    )?.[1];
    expect(leePage.text).toMatch(/3 of \d+ points marked/);
    const texts: Record<string, string> = {};
    for (const kind of ['clinician', 'patient']) {
      const pdf = await clinician.agent
        .get(`/assessments/${assessmentId}/handouts/${kind}`)
        .buffer(true)
        .parse(asBytes);
      expect(pdf.status).toBe(200);
      texts[kind] = readPdf(pdf.body as Buffer).text;
      expect(texts[kind]).toContain('Jordan Lee');
    }
    expect(texts.clinician).toContain('Marked not relevant by the clinician');
  });
});
