import { PatientEntity } from '../src/patients/patient.entity';
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

describe('bodies no route can store: refused with 400 and the field named, never a 500', () => {
  let t: TestApp;
  let clinician: Browser;
  let patient: PatientEntity;

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Guard Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@guard.test' });
    patient = await createPatient(t.dataSource, user);
    clinician = await signIn(t.server, user);
  });
  afterAll(() => t.close());

  it('refuses a NUL character in any text, naming the field, and stores nothing', async () => {
    const response = await clinician.agent
      .post('/api/patients')
      .set('X-CSRF-Token', await clinician.csrf())
      .send({ givenName: 'Nu\u0000l', familyName: 'Person' });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: 'givenName', message: expect.stringContaining('NUL') },
    ]);
    expect(await t.dataSource.getRepository(PatientEntity).countBy({ familyName: 'Person' })).toBe(
      0,
    );

    const form = await clinician.postForm('/patients', { givenName: 'A', familyName: 'B\u0000' });
    expect(form.status).toBe(400);
  });

  it('refuses a body nested deeper than any form, before it reaches validation', async () => {
    const deep = `{"givenName":${'['.repeat(2_000)}${']'.repeat(2_000)}}`;
    const response = await clinician.agent
      .post('/api/patients')
      .set('X-CSRF-Token', await clinician.csrf())
      .set('Content-Type', 'application/json')
      .send(deep);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/nests deeper than \d+ levels/);
  });

  it('refuses an intake section sent as null, a list or text, naming the section', async () => {
    const phone = await startPatientSession(t.server, clinician, patient);
    for (const sleep of [null, [], 'x']) {
      const response = await phone.client.agent
        .put('/api/intake/answers')
        .set('X-CSRF-Token', phone.token)
        .send({ sleep });
      expect(response.status).toBe(400);
      expect(response.body.fields).toEqual([
        { field: 'sleep', message: 'sleep must be an object of answers.' },
      ]);
    }
  });
});
