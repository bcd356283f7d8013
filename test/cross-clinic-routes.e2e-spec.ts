import request from 'supertest';
import type { Response } from 'supertest';
import { AUDIT_ACTION_NAMES } from '../src/audit/audit-actions';
import { API_KEY_SCOPE_NAMES } from '../src/api-keys/api-key-scopes';
import { ApiKeysService } from '../src/api-keys/api-keys.service';
import { PatientEntity } from '../src/patients/patient.entity';
import { submitIntake } from './support/intake-flow';
import { listRoutes, Route } from './support/routes';
import {
  Browser,
  browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

/** Which record an id in a path names, by the collection just before it. */
const KIND_BY_COLLECTION: Readonly<Record<string, keyof ForeignIds>> = {
  patients: 'patient',
  invitations: 'invitation',
  intakes: 'intake',
  assessments: 'assessment',
  clinicians: 'user',
  'api-keys': 'apiKey',
  // FHIR names its resource types, not collections.
  Patient: 'patient',
  QuestionnaireResponse: 'intake',
  Observation: 'observation',
  webhooks: 'webhook',
};

/** Routes whose path parameter is not a clinic record's id, and why they are not checked here. */
const NOT_RECORD_IDS: Readonly<Record<string, string>> = {
  '/i/:token': "a patient's link token (test/intake.e2e-spec.ts)",
  '/e/:token': "a patient's emailed link token (test/invitation-email.e2e-spec.ts)",
  '/e/:token/stop':
    "the token of a patient's emailed link, to stop reminders (test/reminders.e2e-spec.ts)",
  '/welcome/:token': "a clinician's welcome-link token (test/admin.e2e-spec.ts)",
  '/password-reset/:token': "a clinician's password-reset token (test/mfa-browser.e2e-spec.ts)",
  '/fhir/Questionnaire/:id': 'a questionnaire version, the same for every clinic',
  '/intake/:section': "a step of the signed-in patient's own intake",
  '/intake/:section/autosave': "a step of the signed-in patient's own intake",
};

/** Routes anyone may call, and the patient's own intake (behind the link's session). */
const NOT_STAFF = [
  /^\/health\//,
  /^\/sign-in(\/|$)/,
  /^\/i\//,
  /^\/e\//,
  /^\/reminders-stopped$/,
  // Open to all: the FHIR server's CapabilityStatement and the CDS Hooks discovery hold no patient data.
  /^\/fhir\/metadata$/,
  /^\/cds-services$/,
  /^\/welcome\//,
  /^\/password-reset\//,
  /^\/intake(\/|$)/,
  /^\/api\/intake(\/|$)/,
];

interface ForeignIds {
  patient: string;
  invitation: string;
  intake: string;
  assessment: string;
  user: string;
  point: string;
  apiKey: string;
  /** An Observation's id: the intake's, and the instrument's. */
  observation: string;
  webhook: string;
}

/** What the audit log holds for one request. */
interface EventOf {
  action: string;
  outcome: string;
  actor_id: string | null;
  clinic_id: string | null;
  target_id: string | null;
  patient_id: string | null;
  ip: string | null;
}

describe("every route that takes a record's id: 404 for another clinic's, sign-in when signed out", () => {
  let t: TestApp;
  let clinicianA: Browser;
  let adminA: Browser;
  /** Clinic A's API key, with every scope. */
  let keyA: string;
  let own: ForeignIds;
  let foreign: ForeignIds;
  const routes: Route[] = [];

  /** Clinic B's rows that any of the routes could change, to prove none did. */
  const snapshotB = async (): Promise<unknown> =>
    t.dataSource.query(
      `SELECT
         (SELECT json_agg(json_build_object('id', id, 'revoked', revoked_at, 'token', encode(token_hash, 'hex')) ORDER BY id) FROM invitations WHERE clinic_id = $1) AS invitations,
         (SELECT json_agg(json_build_object('id', id, 'status', status, 'answers', answers) ORDER BY id) FROM intakes WHERE clinic_id = $1) AS intakes,
         (SELECT count(*) FROM assessments WHERE clinic_id = $1) AS assessments,
         (SELECT count(*) FROM point_reviews WHERE clinic_id = $1) AS reviews,
         (SELECT count(*) FROM handouts WHERE clinic_id = $1) AS handouts,
         (SELECT count(*) FROM patients WHERE clinic_id = $1) AS patients,
         (SELECT json_agg(json_build_object('id', id, 'deactivated', deactivated_at, 'invite', invitation_token_hash) ORDER BY id) FROM users WHERE clinic_id = $1) AS users,
         (SELECT json_agg(json_build_object('id', id, 'events', events, 'disabled', disabled_at) ORDER BY id) FROM webhook_endpoints WHERE clinic_id = $1) AS webhooks,
         (SELECT count(*) FROM webhook_deliveries WHERE clinic_id = $1) AS webhook_deliveries`,
      [foreignClinicId],
    );
  let foreignClinicId: string;
  let foreignPatientId: string;
  let ownClinicId: string;
  let clinicianAId: string;
  let adminAId: string;

  const eventsOf = (response: Response): Promise<EventOf[]> =>
    t.dataSource.query(
      `SELECT action, outcome, actor_id, clinic_id, target_id, patient_id, host(ip) AS ip
         FROM audit_events WHERE request_id = $1 ORDER BY id`,
      [response.headers['x-request-id']],
    );

  /** The id the path names first (the record the route acts on), in `ids`. */
  const firstId = (path: string, ids: ForeignIds): string => {
    const match = /\/([A-Za-z-]+)\/:(\w+)/.exec(path);
    const kind = KIND_BY_COLLECTION[match?.[1] ?? ''];
    // An Observation is recorded as a read of its intake.
    return kind === 'observation' ? ids.intake : ids[kind];
  };

  const fill = (path: string, ids: ForeignIds): string =>
    path
      .replace('\\$', '$')
      .replace(':pointId', ids.point)
      .replace(':kind', 'clinician')
      .replace(/\/([A-Za-z-]+)\/:(\w+)/g, (_match, collection: string, param: string) => {
        const kind = KIND_BY_COLLECTION[collection];
        if (!kind)
          throw new Error(`${path}: no kind of record for ":${param}" after "${collection}"`);
        return `/${collection}/${ids[kind]}`;
      });

  /** A request with clinic A's key, and nothing else: no cookie, no CSRF token. */
  const withKey = (route: Route, path: string) => {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    return request(t.server)[method](path).set('Authorization', `Bearer ${keyA}`);
  };

  /** The JSON routes: the API, FHIR and CDS Hooks (not pages). */
  const isJson = (path: string) => /^\/(api|fhir|cds-services)\//.test(path);

  const call = async (client: Browser, route: Route, path: string): Promise<Response> => {
    const api = isJson(path);
    if (route.method === 'GET')
      return client.agent.get(path).set('Accept', api ? 'application/json' : 'text/html');
    const token = await client.csrf();
    const body = path.endsWith('/invitations')
      ? { protocol: 'trt' }
      : path.includes('/points/')
        ? { mark: 'discussed' }
        : {};
    const request =
      client.agent[route.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'](path);
    return api
      ? request.set('X-CSRF-Token', token).send(body)
      : request.type('form').send({ _csrf: token, ...body });
  };

  beforeAll(async () => {
    t = await startTestApp();
    const seed = async (name: string) => {
      const clinic = await createClinic(t.dataSource, name);
      const user = await createUser(t.dataSource, clinic, { email: `doc@${name}.test` });
      const admin = await createUser(t.dataSource, clinic, {
        email: `admin@${name}.test`,
        role: 'admin',
      });
      const patient: PatientEntity = await createPatient(t.dataSource, user, { familyName: name });
      const client = await signIn(t.server, user);
      const { intake, assessment } = await submitIntake(t.server, t.dataSource, client, patient);
      const point = (assessment.results as { points: { ruleId: string }[] }).points[0].ruleId;
      const key = await t.app
        .get(ApiKeysService)
        .create(
          { clinicId: clinic.id, userId: admin.user.id },
          { name: `${name} EHR`, scopes: [...API_KEY_SCOPE_NAMES] },
          { requestId: undefined, ip: undefined },
        );
      // A webhook endpoint of the clinic (its secret never opens: nothing here needs it sent).
      const [webhook] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO webhook_endpoints (clinic_id, url, events, secret_sealed, created_by)
         VALUES ($1, 'http://127.0.0.1:9/hook', '{handout.ready}', decode(repeat('ab', 60), 'hex'), $2)
         RETURNING id`,
        [clinic.id, user.user.id],
      );
      return {
        clinic,
        client,
        key: key.key,
        admin: await signIn(t.server, admin),
        ids: {
          patient: patient.id,
          invitation: intake.invitationId,
          intake: intake.id,
          assessment: assessment.id,
          user: user.user.id,
          point,
          apiKey: key.id,
          observation: `${intake.id}-audit-c`,
          webhook: webhook.id,
        },
      };
    };
    const a = await seed('alpha');
    const b = await seed('bravo');
    clinicianA = a.client;
    adminA = a.admin;
    keyA = a.key;
    own = a.ids;
    foreign = b.ids;
    foreignClinicId = b.clinic.id;
    ownClinicId = a.clinic.id;
    clinicianAId = own.user;
    adminAId = (
      await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM users WHERE email = 'admin@alpha.test'`,
      )
    )[0].id;
    foreignPatientId = foreign.patient;
    routes.push(...listRoutes(t.app));
  });
  afterAll(() => t.close());

  const withIds = () => routes.filter((route) => route.path.includes('/:'));

  it('finds the routes, and knows what every path parameter names', () => {
    expect(routes.length).toBeGreaterThan(40);
    const unknown = withIds()
      .filter((route) => !NOT_RECORD_IDS[route.path])
      .filter((route) => {
        try {
          fill(route.path, own);
          return false;
        } catch {
          return true;
        }
      })
      .map((route) => `${route.method} ${route.path}`);
    expect(unknown).toEqual([]);
    expect(withIds().filter((route) => !NOT_RECORD_IDS[route.path]).length).toBeGreaterThanOrEqual(
      18,
    );
  });

  it("answers 404 to clinic A for each of clinic B's ids, and changes nothing of B's", async () => {
    const before = await snapshotB();
    const answers: string[] = [];
    for (const route of withIds().filter((r) => !NOT_RECORD_IDS[r.path])) {
      const client = route.path.startsWith('/admin/') ? adminA : clinicianA;
      const response = await call(client, route, fill(route.path, foreign));
      answers.push(`${route.method} ${route.path} -> ${response.status}`);
    }
    expect(answers.length).toBeGreaterThanOrEqual(18);
    expect(answers.filter((line) => !line.endsWith('-> 404'))).toEqual([]);
    expect(await snapshotB()).toEqual(before);
  });

  it("records each refused attempt on another clinic's record: the route's action, the id, who, from where, and whose record", async () => {
    const unrecorded: string[] = [];
    const routesChecked = withIds().filter((r) => !NOT_RECORD_IDS[r.path]);
    for (const route of routesChecked) {
      const admin = route.path.startsWith('/admin/');
      const response = await call(admin ? adminA : clinicianA, route, fill(route.path, foreign));
      const asked = firstId(route.path, foreign);
      const events = await eventsOf(response);
      const denied = events.filter((event) => event.outcome === 'denied');
      const expected = {
        actor_id: admin ? adminAId : clinicianAId,
        clinic_id: ownClinicId,
        target_id: asked,
        // Staff, keys and webhook endpoints are nobody's patient; every other record is one patient's.
        patient_id: /\/(clinicians|api-keys|webhooks)\//.test(route.path) ? null : foreignPatientId,
      };
      const ok =
        denied.length === 1 &&
        (AUDIT_ACTION_NAMES as readonly string[]).includes(denied[0].action) &&
        denied[0].ip !== null &&
        Object.entries(expected).every(
          ([key, value]) => denied[0][key as keyof EventOf] === value,
        ) &&
        events.every((event) => event.patient_id === null || event.outcome === 'denied');
      if (!ok) unrecorded.push(`${route.method} ${route.path}: ${JSON.stringify(events)}`);
    }
    expect(routesChecked.length).toBeGreaterThanOrEqual(18);
    expect(unrecorded).toEqual([]);
  });

  it("serves clinic A's own ids on the same routes (the 404s are not everything's), and records every read of the patient's record", async () => {
    const unrecorded: string[] = [];
    for (const route of withIds().filter((r) => r.method === 'GET' && !NOT_RECORD_IDS[r.path])) {
      const response = await call(clinicianA, route, fill(route.path, own));
      expect(`${route.path} -> ${response.status}`).toBe(`${route.path} -> 200`);
      const events = await eventsOf(response);
      const read = events.filter(
        (event) =>
          event.outcome === 'success' &&
          event.actor_id === clinicianAId &&
          event.patient_id === own.patient,
      );
      if (read.length === 0) unrecorded.push(`${route.path}: ${JSON.stringify(events)}`);
    }
    expect(unrecorded).toEqual([]);
  });

  it("answers 404 to clinic A's API key for each of clinic B's ids on every route open to keys, records it under the key, and changes nothing of B's", async () => {
    const before = await snapshotB();
    const open = withIds().filter((r) => r.keyScope && !NOT_RECORD_IDS[r.path]);
    expect(open.length).toBeGreaterThanOrEqual(14);
    const [{ id: keyId }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM api_keys WHERE name = 'alpha EHR'`,
    );
    const wrong: string[] = [];
    for (const route of open) {
      const path = fill(route.path, foreign);
      const body = path.endsWith('/invitations')
        ? { protocol: 'trt' }
        : path.includes('/points/')
          ? { mark: 'discussed' }
          : {};
      const response = await withKey(route, path).send(body);
      const denied = (await eventsOf(response)).filter((event) => event.outcome === 'denied');
      const recorded =
        denied.length >= 1 &&
        denied.some(
          (event) => event.actor_id === keyId && event.target_id === firstId(route.path, foreign),
        );
      if (response.status !== 404 || !recorded)
        wrong.push(`${route.method} ${route.path} -> ${response.status} ${JSON.stringify(denied)}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshotB()).toEqual(before);
  });

  it('refuses an API key on every route closed to keys (pages, admin work, the audit log)', async () => {
    const closed = routes.filter(
      (route) => !route.keyScope && !NOT_STAFF.some((pattern) => pattern.test(route.path)),
    );
    expect(closed.length).toBeGreaterThan(25);
    const wrong: string[] = [];
    for (const route of closed) {
      const path = route.path.includes('/:') ? fill(route.path, own) : route.path;
      const response = await withKey(route, path).set('Accept', 'application/json');
      if (response.status !== 403)
        wrong.push(`${route.method} ${route.path} -> ${response.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('sends a signed-out browser to sign in on every staff page, and answers 401 on the staff API', async () => {
    const stranger = browser(t.server);
    const staff = routes.filter((route) => !NOT_STAFF.some((pattern) => pattern.test(route.path)));
    expect(staff.length).toBeGreaterThan(25);
    const wrong: string[] = [];
    for (const route of staff) {
      const path = !route.path.includes('/:')
        ? route.path
        : NOT_RECORD_IDS[route.path]
          ? route.path.replace(/:\w+/g, 'intake-2026-12.1')
          : fill(route.path, foreign);
      const response = await call(stranger, route, path);
      const ok = isJson(path)
        ? response.status === 401
        : response.status === 303 && response.headers.location === '/sign-in';
      if (!ok)
        wrong.push(
          `${route.method} ${route.path} -> ${response.status} ${response.headers.location ?? ''}`,
        );
    }
    expect(wrong).toEqual([]);
  });
});
