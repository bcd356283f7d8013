import request from 'supertest';
import { ApiKeysService } from '../src/api-keys/api-keys.service';
import { ClinicEntity } from '../src/clinics/clinic.entity';
import { readPdf } from './support/pdf';
import { openLink } from './support/patient-link';
import { TYPICAL_ANSWERS } from './support/intake-flow';
import {
  Browser,
  createClinic,
  createUser,
  csrfFrom,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

interface Point {
  ruleId: string;
  kind: 'concern' | 'strength';
}

/*
 * The API as a clinic's other system uses it: an admin makes a key on the
 * API keys page (shown once), and everything after is done with the key
 * alone, no cookie and no CSRF token: a patient, a link, the patient's
 * intake (sent through the pages), its answers and scores, assessments
 * with points, a mark, the review, a handout. Scopes, revocation, the rate
 * limit, and the audit log naming the key are checked along the way.
 */
describe('API keys: the JSON API with a key alone', () => {
  let t: TestApp;
  let admin: Browser;
  let adminUser: TestUser;
  const LIMIT = 40;

  beforeAll(async () => {
    t = await startTestApp({ API_KEY_CALLS_PER_MINUTE: String(LIMIT), LOG_LEVEL: 'error' });
    const clinic = await createClinic(t.dataSource, 'Key Clinic');
    adminUser = await createUser(t.dataSource, clinic, {
      email: 'admin@keys.test',
      role: 'admin',
    });
    admin = await signIn(t.server, adminUser);
  });
  afterAll(() => t.close());

  const clinicOf = async () => ({
    clinic: await t.dataSource.getRepository(ClinicEntity).findOneByOrFail({ name: 'Key Clinic' }),
  });

  /** The admin makes a key on the page; the key as the page shows it, once. */
  async function makeKey(name: string, scopes: string[]): Promise<string> {
    const form = await admin.agent.get('/admin/api-keys').set('Accept', 'text/html');
    // As a browser posts checked boxes: the field once per box.
    const body = new URLSearchParams([
      ['_csrf', csrfFrom(form.text)],
      ['name', name],
      ...scopes.map((scope) => ['scopes', scope]),
    ]).toString();
    const made = await admin.agent.post('/admin/api-keys').type('form').send(body);
    expect(made.status).toBe(303);
    const page = await admin.agent.get('/admin/api-keys').set('Accept', 'text/html');
    const key = /id="new-key" type="text" readonly value="(hk_[A-Za-z0-9_-]{43})"/.exec(
      page.text,
    )?.[1];
    if (!key) throw new Error('No key on the page');
    return key;
  }

  const api = (key: string) => ({
    get: (path: string) => request(t.server).get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string, body: object = {}) =>
      request(t.server).post(path).set('Authorization', `Bearer ${key}`).send(body),
    put: (path: string, body: object) =>
      request(t.server).put(path).set('Authorization', `Bearer ${key}`).send(body),
    patch: (path: string, body: object) =>
      request(t.server).patch(path).set('Authorization', `Bearer ${key}`).send(body),
  });

  it('does what the pages do, with a key alone: patient, link, intake, answers and scores, points, a mark, the review, a handout', async () => {
    const ehr = api(
      await makeKey('Practice EHR', [
        'patients:read',
        'patients:write',
        'invitations:write',
        'intakes:read',
        'reviews:write',
        'handouts:read',
      ]),
    );
    const created = await ehr.post('/api/patients', {
      givenName: 'Ivy',
      familyName: 'Integrator',
      reference: 'EHR-77',
    });
    expect(created.status).toBe(201);
    const patientId = (created.body as { id: string }).id;
    const edited = await ehr.patch(`/api/patients/${patientId}`, { email: 'ivy@example.org' });
    expect(edited.status).toBe(200);
    const invited = await ehr.post(`/api/patients/${patientId}/invitations`, { protocol: 'trt' });
    expect(invited.status).toBe(201);
    const link = invited.body as { id: string; link: string };

    // The patient answers and sends through the pages' JSON twin, on their own link.
    const session = await openLink(t.server, link);
    await session.client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', session.token)
      .send(TYPICAL_ANSWERS);
    const sent = await session.client.agent
      .post('/api/intake/submit')
      .set('X-CSRF-Token', session.token);
    expect(sent.status).toBe(201);

    const intakes = await ehr.get(`/api/patients/${patientId}/intakes`);
    expect(intakes.status).toBe(200);
    const [summary] = intakes.body as {
      id: string;
      status: string;
      questionnaireVersion: string;
    }[];
    expect(summary).toMatchObject({ status: 'submitted' });
    expect(summary).not.toHaveProperty('answers');

    const record = await ehr.get(`/api/intakes/${summary.id}`);
    expect(record.status).toBe(200);
    const intake = record.body as {
      answers: Record<string, unknown>;
      scores: { auditC?: { total?: number } };
      questionnaireVersion: string;
    };
    expect(intake.questionnaireVersion).toBe(summary.questionnaireVersion);
    expect(intake.answers).toMatchObject({ ...TYPICAL_ANSWERS.sleep, ...TYPICAL_ANSWERS.diet });
    expect(typeof intake.scores.auditC?.total).toBe('number');

    const assessments = await ehr.get(`/api/intakes/${summary.id}/assessments`);
    expect(assessments.status).toBe(200);
    const [assessment] = assessments.body as {
      id: string;
      results: { points: Point[] };
      marks: unknown[];
    }[];
    const concerns = assessment.results.points.filter((point) => point.kind === 'concern');
    expect(concerns.length).toBeGreaterThan(1);
    expect(assessment.marks).toEqual([]);

    const marked = await ehr.put(`/api/assessments/${assessment.id}/points/${concerns[0].ruleId}`, {
      mark: 'discussed',
      note: 'Talked it through.',
    });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ pointId: concerns[0].ruleId, mark: 'discussed' });
    const refusedMark = await ehr.put(
      `/api/assessments/${assessment.id}/points/${concerns[1].ruleId}`,
      { mark: 'not_relevant' },
    );
    expect(refusedMark.status).toBe(400);
    expect((refusedMark.body as { fields: { field: string }[] }).fields[0].field).toBe('reason');

    const early = await ehr.post(`/api/intakes/${summary.id}/review`, {});
    expect(early.status).toBe(409);
    expect((early.body as { message: string }).message).toContain('confirmUnmarked');
    const done = await ehr.post(`/api/intakes/${summary.id}/review`, { confirmUnmarked: true });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ completed: true, marked: 1 });
    const again = await ehr.get(`/api/intakes/${summary.id}`);
    expect((again.body as { status: string }).status).toBe('reviewed');

    const handout = await ehr
      .get(`/api/assessments/${assessment.id}/handouts/clinician`)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    expect(handout.status).toBe(200);
    expect(handout.headers['content-type']).toBe('application/pdf');
    expect(readPdf(handout.body as Buffer).text).toContain('Ivy');

    // The audit log names the key for every call, and for what the calls did.
    const events = await t.dataSource.query<{ action: string; actor_type: string }[]>(
      `SELECT DISTINCT action, actor_type FROM audit_events WHERE actor_type = 'api_key'`,
    );
    const actions = events.map((event) => event.action);
    for (const action of [
      'api.call',
      'patient.create',
      'patient.update',
      'invitation.create',
      'intake.list',
      'intake.view',
      'assessment.view',
      'point.review',
      'intake.review',
      'handout.download',
    ]) {
      expect(actions).toContain(action);
    }
    const calls = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'api.call'`,
    );
    expect(calls[0].n).toBeGreaterThanOrEqual(12);
    const log = await admin.agent.get('/admin/audit').set('Accept', 'text/html');
    expect(log.text).toContain('API key &quot;Practice EHR&quot;');
    // The patient was made by the admin who made the key.
    const [row] = await t.dataSource.query<{ created_by: string }[]>(
      'SELECT created_by FROM patients WHERE id = $1',
      [patientId],
    );
    expect(row.created_by).toBe(adminUser.user.id);
  });

  it('holds a key to its scopes, and keeps keys off the pages and the admin’s work', async () => {
    const reader = api(await makeKey('Read only', ['patients:read']));
    expect((await reader.get('/api/patients')).status).toBe(200);
    const write = await reader.post('/api/patients', { givenName: 'No', familyName: 'Way' });
    expect(write.status).toBe(403);
    expect((write.body as { message: string }).message).toContain('patients:write');
    expect((await reader.get('/api/audit-events')).status).toBe(403);
    const page = await reader.get('/').set('Accept', 'text/html');
    expect(page.status).toBe(403);
    expect(
      (await reader.post('/admin/api-keys', { name: 'x', scopes: ['patients:read'] })).status,
    ).toBe(403);
  });

  it('refuses a key that is not one or no longer is (revoked, or its admin deactivated), auditing the attempt; leaves any other Authorization to the session', async () => {
    const key = await makeKey('Soon revoked', ['patients:read']);
    expect((await api(key).get('/api/patients')).status).toBe(200);
    // The admin's own session cookie rides along: a bad key still fails, the cookie is not read.
    const forged = await admin.agent
      .get('/api/patients')
      .set('Authorization', `Bearer hk_${'x'.repeat(43)}`);
    expect(forged.status).toBe(401);
    // A proxy's basic auth or another bearer token is not this service's: the session decides.
    for (const header of ['Bearer some-sso-token', 'Basic YTpi']) {
      const response = await admin.agent.get('/api/patients').set('Authorization', header);
      expect(response.status).toBe(200);
    }
    const page = await admin.agent.get('/admin/api-keys').set('Accept', 'text/html');
    expect(page.text).toContain('Soon revoked');
    const id = /action="\/admin\/api-keys\/([0-9a-f-]{36})\/revoke"/.exec(
      page.text.slice(page.text.indexOf('Soon revoked')),
    )?.[1];
    const revoked = await admin.agent
      .post(`/admin/api-keys/${id}/revoke`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(revoked.status).toBe(303);
    const after = await api(key).get('/api/patients');
    expect(after.status).toBe(401);
    expect((after.body as { code: string }).code).toBe('not_signed_in');
    const attempts = await t.dataSource.query<{ detail: unknown }[]>(
      `SELECT detail FROM audit_events WHERE action = 'api.call' AND actor_id = $1 AND outcome = 'denied'`,
      [id],
    );
    expect(attempts).toEqual([{ detail: { reason: 'revoked' } }]);

    // A key made by an admin who is then deactivated stops with them.
    const leaver = await createUser(t.dataSource, (await clinicOf()).clinic, {
      email: 'leaver@keys.test',
      role: 'admin',
    });
    const leaverKey = (
      await t.app
        .get(ApiKeysService)
        .create(
          { clinicId: leaver.user.clinicId, userId: leaver.user.id },
          { name: 'Leaver script', scopes: ['patients:read'] },
          { requestId: undefined, ip: undefined },
        )
    ).key;
    expect((await api(leaverKey).get('/api/patients')).status).toBe(200);
    await t.dataSource.query('UPDATE users SET deactivated_at = now() WHERE id = $1', [
      leaver.user.id,
    ]);
    expect((await api(leaverKey).get('/api/patients')).status).toBe(401);
  });

  it('ignores a key on public routes: the patient pages and sign-in keep their form tokens', async () => {
    const key = await makeKey('Public probe', ['patients:read']);
    const signIn = await request(t.server)
      .post('/sign-in')
      .set('Authorization', `Bearer ${key}`)
      .type('form')
      .send({ email: 'admin@keys.test', password: 'wrong' });
    expect(signIn.status).toBe(403);
    expect((await api(key).get('/health/live')).status).toBe(200);
  });

  it('limits each key per minute, on the database (429 with Retry-After), and shows its last use', async () => {
    const key = await makeKey('Busy system', ['patients:read']);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await api(key).get('/api/patients')).status);
    expect(statuses.slice(0, LIMIT).every((status) => status === 200)).toBe(true);
    const over = await api(key).get('/api/patients');
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    const limited = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events
       WHERE action = 'api.call' AND outcome = 'denied' AND detail->>'reason' = 'rate_limited'`,
    );
    expect(limited[0].n).toBeGreaterThanOrEqual(3);
    // Another key is not held back by this one.
    const other = await makeKey('Quiet system', ['patients:read']);
    expect((await api(other).get('/api/patients')).status).toBe(200);
    const page = await admin.agent.get('/admin/api-keys').set('Accept', 'text/html');
    const row = page.text.slice(page.text.indexOf('Busy system'));
    expect(row.slice(0, 600)).not.toContain('never');
  });

  it('shows a refused key form again as typed, naming the field', async () => {
    const refused = await admin.postForm('/admin/api-keys', { name: 'Lab feed' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Choose at least one thing the key may do.');
    expect(refused.text).toContain('value="Lab feed"');
    await makeKey('Twin', ['patients:read']);
    const twin = await admin.postForm('/admin/api-keys', {
      name: 'Twin',
      scopes: 'patients:read',
    });
    expect(twin.status).toBe(400);
    expect(twin.text).toContain('Another active key has this name');
  });
});
