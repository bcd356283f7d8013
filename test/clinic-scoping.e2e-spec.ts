import request from 'supertest';
import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

describe('clinic scoping (through HTTP)', () => {
  let t: TestApp;
  let northClient: Browser;
  let northPatient: PatientEntity;
  let southPatient: PatientEntity;

  beforeAll(async () => {
    t = await startTestApp();
    const north = await createClinic(t.dataSource, 'North Clinic');
    const south = await createClinic(t.dataSource, 'South Clinic');
    const northUser = await createUser(t.dataSource, north, { email: 'n@north.test' });
    const southUser = await createUser(t.dataSource, south, { email: 's@south.test' });
    northPatient = await createPatient(t.dataSource, northUser, {
      givenName: 'Nora',
      familyName: 'North',
      reference: 'N-1',
    });
    southPatient = await createPatient(t.dataSource, southUser, {
      givenName: 'Sol',
      familyName: 'South',
      reference: 'S-1',
    });
    northClient = await signIn(t.server, northUser);
  });
  afterAll(() => t.close());

  it("lists only the signed-in clinician's clinic", async () => {
    const response = await northClient.agent.get('/api/patients');
    expect(response.status).toBe(200);
    expect(response.body.patients.map((p: { id: string }) => p.id)).toEqual([northPatient.id]);

    const page = await northClient.agent.get('/').set('Accept', 'text/html');
    expect(page.text).toContain('North, Nora');
    expect(page.text).not.toContain('South');
  });

  it("answers 404 for another clinic's patient, exactly as for an id that does not exist", async () => {
    const foreign = await northClient.agent.get(`/api/patients/${southPatient.id}`);
    const missing = await northClient.agent.get(
      '/api/patients/00000000-0000-4000-8000-000000000000',
    );
    const malformed = await northClient.agent.get('/api/patients/not-a-uuid');
    for (const response of [foreign, missing, malformed]) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('not_found');
    }
    expect(foreign.body.message).toBe(missing.body.message);
    expect(JSON.stringify(foreign.body)).not.toContain('Sol');

    const own = await northClient.agent.get(`/api/patients/${northPatient.id}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ givenName: 'Nora', familyName: 'North', reference: 'N-1' });
    expect(own.headers['cache-control']).toBe('no-store');
  });

  it("does not find another clinic's patient by search", async () => {
    const response = await northClient.agent.get('/api/patients').query({ q: 'sol' });
    expect(response.body).toEqual({ patients: [], next: null });
  });

  it('creates patients in the clinic of the signed-in clinician, whatever the body says', async () => {
    const token = await northClient.csrf();
    const response = await northClient.agent
      .post('/api/patients')
      .set('X-CSRF-Token', token)
      .send({ givenName: 'Nils', familyName: 'Newman', clinicId: southPatient.clinicId });
    // A clinicId in the body is an unknown field, refused by name.
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: 'clinicId', message: 'clinicId is not an accepted field' },
    ]);

    const created = await northClient.agent
      .post('/api/patients')
      .set('X-CSRF-Token', token)
      .send({ givenName: 'Nils', familyName: 'Newman' });
    expect(created.status).toBe(201);
    const row = await t.dataSource
      .getRepository(PatientEntity)
      .findOneByOrFail({ id: created.body.id });
    expect(row.clinicId).toBe(northPatient.clinicId);
  });

  it('audits views, including the refused one, without patient names', async () => {
    const events = await t.dataSource
      .getRepository(AuditEventEntity)
      .findBy({ action: 'patient.view' });
    expect(events.some((e) => e.targetId === northPatient.id && e.outcome === 'success')).toBe(
      true,
    );
    // The refused one is the clinician's clinic's event, tied to the patient it tried to reach.
    const refused = events.find((e) => e.targetId === southPatient.id);
    expect(refused).toMatchObject({
      outcome: 'denied',
      clinicId: northPatient.clinicId,
      patientId: southPatient.id,
    });
    expect(JSON.stringify(events)).not.toMatch(/Nora|Sol/);
  });

  it('sends a signed-out page request to sign in, and answers a signed-out API request with 401', async () => {
    const page = await request(t.server).get('/').set('Accept', 'text/html');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/sign-in');
    const api = await request(t.server).get(`/api/patients/${northPatient.id}`);
    expect(api.status).toBe(401);
    expect(api.body).toMatchObject({ code: 'not_signed_in' });
  });
});

describe('the error contract', () => {
  let t: TestApp;
  let client: Browser;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Error Clinic');
    client = await signIn(
      t.server,
      await createUser(t.dataSource, clinic, { email: 'e@error.test' }),
    );
    token = await client.csrf();
  });
  afterAll(() => t.close());

  const post = (body: string | object, type = 'application/json') =>
    client.agent
      .post('/api/patients')
      .set('X-CSRF-Token', token)
      .set('Content-Type', type)
      .send(body);

  it('names every bad field', async () => {
    const response = await post({
      givenName: '',
      familyName: 'x'.repeat(101),
      reference: 'bad<ref>',
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    const fields = response.body.fields.map((f: { field: string }) => f.field);
    expect(new Set(fields)).toEqual(new Set(['givenName', 'familyName', 'reference']));
    expect(response.body.message).toContain('givenName');
    expect(response.body.requestId).toEqual(expect.any(String));
  });

  it('refuses a reference already used in the clinic, naming the field', async () => {
    expect((await post({ givenName: 'A', familyName: 'B', reference: 'R-9' })).status).toBe(201);
    const again = await post({ givenName: 'C', familyName: 'D', reference: 'R-9' });
    expect(again.status).toBe(409);
    expect(again.body.fields).toEqual([expect.objectContaining({ field: 'reference' })]);
  });

  it('refuses malformed JSON and oversized bodies with 4xx, never 5xx', async () => {
    const malformed = await post('{"givenName": ', 'application/json');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed_body');

    const huge = await post({ givenName: 'A', familyName: 'B', padding: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('payload_too_large');
  });

  it('answers an unknown API route with a JSON 404 and an unknown page with an HTML 404', async () => {
    const api = await client.agent.get('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(api.body.code).toBe('not_found');
    const page = await client.agent.get('/nothing-here').set('Accept', 'text/html');
    expect(page.status).toBe(404);
    expect(page.text).toContain('There is no page at this address.');
  });

  it('sends security headers on pages', async () => {
    const page = await request(t.server).get('/sign-in').set('Accept', 'text/html');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-powered-by']).toBeUndefined();
    expect(page.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('serves the OpenAPI document generated from the DTOs', async () => {
    const response = await request(t.server).get('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.paths['/api/patients'].post).toBeDefined();
    const schema = response.body.components.schemas.PatientCreateDto;
    expect(schema.required).toEqual(expect.arrayContaining(['givenName', 'familyName']));
    expect(schema.properties.familyName.maxLength).toBe(100);
  });
});

describe('roles', () => {
  let t: TestApp;
  let northAdmin: Browser;
  let northClinician: Browser;
  let southAdminId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const north = await createClinic(t.dataSource, 'North Clinic');
    const south = await createClinic(t.dataSource, 'South Clinic');
    northAdmin = await signIn(
      t.server,
      await createUser(t.dataSource, north, { email: 'admin@north.test', role: 'admin' }),
    );
    northClinician = await signIn(
      t.server,
      await createUser(t.dataSource, north, { email: 'doc@north.test' }),
    );
    const southAdmin = await createUser(t.dataSource, south, {
      email: 'admin@south.test',
      role: 'admin',
    });
    southAdminId = southAdmin.user.id;
    await signIn(t.server, southAdmin);
  });
  afterAll(() => t.close());

  it("lets an admin read the clinic's audit log, and only that clinic's", async () => {
    const response = await northAdmin.agent.get('/api/audit-events');
    expect(response.status).toBe(200);
    const actions = response.body.map((e: { action: string }) => e.action);
    expect(actions).toContain('auth.sign_in');
    expect(response.body.some((e: { actorId: string }) => e.actorId === southAdminId)).toBe(false);
  });

  it('refuses a clinician with 403', async () => {
    const response = await northClinician.agent.get('/api/audit-events');
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
  });
});
