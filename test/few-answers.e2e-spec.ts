import { AssessmentEntity } from '../src/assessments/assessment.entity';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import { submitIntake } from './support/intake-flow';
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

/**
 * A patient who answered four questions in all, one a note naming a dose.
 * Once, every page and handout said "No concerns from the answers given".
 */
describe('an intake with few answers never reads as reassuring', () => {
  let t: TestApp;
  let clinician: Browser;
  let patient: PatientEntity;
  let intake: IntakeEntity;
  let assessment: AssessmentEntity;

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Sparse Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@sparse.test' });
    patient = await createPatient(t.dataSource, user, { givenName: 'Sky', familyName: 'Sparse' });
    clinician = await signIn(t.server, user);
    ({ intake, assessment } = await submitIntake(t.server, t.dataSource, clinician, patient, {
      context: { sex: 'male', ageBand: '40-49' },
      sleep: { hoursAsleep: 7.5 },
      stress: { routineNotes: 'I inject 100 mg on Mondays' },
    }));
  });
  afterAll(() => t.close());

  const download = async (kind: string): Promise<string> => {
    const response = await clinician.agent
      .get(`/assessments/${assessment.id}/handouts/${kind}`)
      .buffer(true)
      .parse(asBytes);
    expect(response.status).toBe(200);
    return readPdf(response.body as Buffer).text.replace(/\s+/g, ' ');
  };

  it('shows per pillar how much was answered and that it is not enough, with the questions left blank', async () => {
    const page = await clinician.agent.get(`/intakes/${intake.id}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    const text = page.text.replace(/\s+/g, ' ');
    expect(text).not.toContain('No concerns from the answers given');
    expect(text.match(/Not enough answers to assess/g)).toHaveLength(4);
    expect(text).toMatch(/Sleep<\/td> <td data-label="Answered">1 of \d+<\/td>/);
    expect(text).toContain('Questions left unanswered');
    // The patient's note is shown to the clinician where the points are read.
    expect(text).toContain('In the patient’s own words');
    expect(text).toContain('I inject 100 mg on Mondays');
  });

  it('marks the pillars in the list and the API', async () => {
    const listed = await clinician.agent.get('/api/patients').query({ status: 'submitted' });
    const row = (
      listed.body as { patients: { id: string; thinPillars: string[] }[] }
    ).patients.find((p) => p.id === patient.id);
    expect(row?.thinPillars).toEqual(['diet', 'exercise', 'sleep', 'stress']);
    const page = await clinician.agent.get('/').set('Accept', 'text/html');
    expect(page.text).toContain('Too few answers to assess: Diet, Exercise, Sleep, Stress');
  });

  it('says so in both handouts, and never prints the note', async () => {
    const guide = await download('clinician');
    expect(guide).not.toContain('No concerns from the answers given.');
    expect(guide).toContain('not enough answers to assess');
    expect(guide).toContain('too few answers to assess Diet');
    const notes = await download('patient');
    expect(notes).not.toContain('Keep doing what works for you');
    expect(notes).toContain('were left blank');
    for (const text of [guide, notes]) expect(text).not.toContain('100 mg');
  });
});
