import { AssessmentEntity } from '../src/assessments/assessment.entity';
import { PointReviewEntity } from '../src/assessments/point-review.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import { UserEntity } from '../src/users/user.entity';
import { submitIntake } from './support/intake-flow';
import { startPatientSession } from './support/patient-link';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

/*
 * Short texts people type, through the real forms and API: a name that would
 * display as something else (a right-to-left override, a zero-width space, a
 * line break, stacked combining marks) is refused at its field with why, and
 * nothing is stored; real names in other scripts are stored composed (NFC).
 */

/** Handlebars escapes these in attribute values and text. */
const escaped = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/'/g, '&#x27;').replace(/"/g, '&quot;');

describe('short texts: composed, and refused at the field when disguised', () => {
  let t: TestApp;
  let clinician: Browser;
  let admin: Browser;
  let assessment: AssessmentEntity;
  let pointId: string;
  const patients = () => t.dataSource.getRepository(PatientEntity);

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Text Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@text.test' });
    const boss = await createUser(t.dataSource, clinic, {
      email: 'admin@text.test',
      role: 'admin',
    });
    clinician = await signIn(t.server, user);
    admin = await signIn(t.server, boss);
    const patient = await createPatient(t.dataSource, user, { familyName: 'Reviewed' });
    ({ assessment } = await submitIntake(t.server, t.dataSource, clinician, patient));
    pointId = (assessment.results as { points: { ruleId: string }[] }).points[0].ruleId;
  });
  afterAll(() => t.close());

  it.each([
    ['a right-to-left override', 'Alex\u202eredloF', /right-to-left override/],
    ['a zero-width space', 'Mor\u200bgan', /zero-width space/],
    ['a line break', 'Mor\ngan', /one line/],
    ['stacked combining marks', 'Z\u0351\u0352\u0353\u0354algo', /at most 2/],
  ])(
    'API: refuses a family name with %s, naming it, and stores nothing',
    async (_what, name, why) => {
      const response = await clinician.agent
        .post('/api/patients')
        .set('X-CSRF-Token', await clinician.csrf())
        .send({ givenName: 'Dis', familyName: name });
      expect(response.status).toBe(400);
      expect(response.body.fields).toEqual([
        { field: 'familyName', message: expect.stringMatching(why) },
      ]);
      expect(await patients().countBy({ givenName: 'Dis' })).toBe(0);
    },
  );

  it('API: stores real names in many scripts, composed', async () => {
    const names: [string, string, string][] = [
      ['Zoe\u0308', 'Zoë', 'Zo\u00eb'],
      ['José', 'Núñez-Ødegård', 'José'],
      ['محمد', 'العربي', 'محمد'],
      ['민준', '김', '민준'],
      ['प्रियंका', 'शर्मा', 'प्रियंका'],
      ['小明', '王', '小明'],
      ['Siobhán', "O'Brien", 'Siobhán'],
    ];
    for (const [givenName, familyName, stored] of names) {
      const response = await clinician.agent
        .post('/api/patients')
        .set('X-CSRF-Token', await clinician.csrf())
        .send({ givenName, familyName });
      expect(`${givenName} ${response.status}`).toBe(`${givenName} 201`);
      const row = await patients().findOneByOrFail({ id: response.body.id });
      expect(row.givenName).toBe(stored);
      expect(row.givenName).toBe(row.givenName.normalize('NFC'));
    }
    // Found by the composed spelling, however it was typed.
    const found = await clinician.agent.get(`/api/patients?q=${encodeURIComponent('Zoë')}`);
    expect(found.body.patients.map((p: PatientEntity) => p.givenName)).toContain('Zo\u00eb');
  });

  it('form: shows the problem at the field and keeps what was typed', async () => {
    const typed = { givenName: 'Ada\u200d', familyName: 'Lovelace', reference: 'MRN-7' };
    const response = await clinician.postForm('/patients', typed);
    expect(response.status).toBe(400);
    expect(response.text).toContain('href="#field-givenName"');
    expect(response.text).toContain('zero-width joiner (U+200D)');
    expect(response.text).toContain(`value="${escaped(typed.givenName)}"`);
    expect(response.text).toContain('value="Lovelace"');
    expect(await patients().countBy({ familyName: 'Lovelace' })).toBe(0);
  });

  it("form: refuses a clinician's display name or email with a hidden character", async () => {
    const fields = { displayName: 'Dr\u00a0Who\u202e', email: 'who@text.test', role: 'clinician' };
    const response = await admin.postForm('/admin/clinicians', fields);
    expect(response.status).toBe(400);
    expect(response.text).toContain('href="#field-displayName"');
    expect(response.text).toContain('right-to-left override (U+202E)');
    const email = await admin.postForm('/admin/clinicians', {
      displayName: 'Dr Who',
      email: 'who\u200b@text.test',
      role: 'clinician',
    });
    expect(email.status).toBe(400);
    expect(email.text).toContain('href="#field-email"');
    expect(await t.dataSource.getRepository(UserEntity).countBy({ displayName: 'Dr Who' })).toBe(0);
  });

  it("form: a point's note keeps its line breaks; a reason or note with hidden characters is refused", async () => {
    const path = `/assessments/${assessment.id}/points/${pointId}`;
    const refused = await clinician.postForm(path, {
      mark: 'not_relevant',
      reason: 'Works\tnights',
      note: 'Asked\u2066 twice',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`href="#field-reason-${pointId}"`);
    expect(refused.text).toContain(`href="#field-note-${pointId}"`);
    expect(refused.text).toContain('a tab (U+0009)');
    const row = () =>
      t.dataSource
        .getRepository(PointReviewEntity)
        .findOneBy({ assessmentId: assessment.id, pointId });
    expect(await row()).toBeNull();

    const saved = await clinician.postForm(path, {
      mark: 'discussed',
      note: 'Asked about shifts.\r\nCafe\u0301 at night.',
    });
    expect(saved.status).toBe(303);
    expect((await row())?.note).toBe('Asked about shifts.\r\nCaf\u00e9 at night.');
  });

  it("refuses the patient's own note with a bidi override, naming the question", async () => {
    const patient = await patients().findOneByOrFail({ familyName: 'Reviewed' });
    const phone = await startPatientSession(t.server, clinician, patient);
    const response = await phone.client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', phone.token)
      .send({ stress: { routineNotes: 'Night shifts \u202eskrow' } });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: 'stress.routineNotes', message: expect.stringContaining('right-to-left override') },
    ]);
  });
});
