import { asBytes } from './support/pdf';
import request from 'supertest';
import { AssessmentEntity } from '../src/assessments/assessment.entity';
import { ClinicEntity } from '../src/clinics/clinic.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import { submitIntake } from './support/intake-flow';
import { PatientSession, startPatientSession } from './support/patient-link';
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
  TestUser,
} from './support/test-app';

/*
 * The security model of the README as tests, over HTTP on PostgreSQL. Checks
 * that other files already make are referenced, not repeated:
 * - test/auth.e2e-spec.ts: a new session at each sign-in with the earlier one
 *   refused; CSRF refusing a form without a token or with another browser's,
 *   a JSON write without X-CSRF-Token, and a sign-in form without a token;
 *   sign-in throttled after SIGN_IN_MAX_FAILURES with the right password
 *   refused (429, Retry-After); no-store on the dashboard.
 * - test/intake.e2e-spec.ts: the expired (410) and revoked (410) link pages,
 *   with what to do and no cookie; a re-issued link ending the old link's
 *   sessions; a JSON write without the CSRF header.
 * - test/clinic-scoping.e2e-spec.ts: the headers of the sign-in page.
 * Rate limiting of invitation-link opens has its own file.
 */

const SECRET = 'a-test-session-secret-of-48-characters-0123456789';

/** A response's Content-Security-Policy as directive → sources. */
function cspOf(response: request.Response): Map<string, string[]> {
  const header = response.headers['content-security-policy'];
  expect(typeof header).toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );
}

/** The headers every response carries, pages, JSON, PDFs and errors alike. */
function expectSecurityHeaders(response: request.Response, what: string): void {
  const csp = cspOf(response);
  expect({ what, defaultSrc: csp.get('default-src') }).toEqual({ what, defaultSrc: ["'self'"] });
  expect({ what, scriptSrc: csp.get('script-src') }).toEqual({ what, scriptSrc: ["'self'"] });
  expect({ what, styleSrc: csp.get('style-src') }).toEqual({ what, styleSrc: ["'self'"] });
  expect({ what, frameAncestors: csp.get('frame-ancestors') }).toEqual({
    what,
    frameAncestors: ["'none'"],
  });
  expect({ what, objectSrc: csp.get('object-src') }).toEqual({ what, objectSrc: ["'none'"] });
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['x-powered-by']).toBeUndefined();
}

/** The value a response sets for a cookie: the last Set-Cookie of that name that is not a clearing one. */
const cookieValue = (response: request.Response, name: string): string | undefined => {
  const list = (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  const values = list
    .filter((cookie) => cookie.startsWith(`${name}=`))
    .map((cookie) => cookie.slice(name.length + 1).split(';')[0]);
  return values.filter((value) => value !== '').at(-1);
};

const binary = (req: request.Test): request.Test => req.buffer(true).parse(asBytes);

describe('security model (HTTP, PostgreSQL)', () => {
  let t: TestApp;
  let clinic: ClinicEntity;
  let user: TestUser;
  let clinician: Browser;
  let patient: PatientEntity;
  let assessment: AssessmentEntity;

  beforeAll(async () => {
    t = await startTestApp({ SIGN_IN_MAX_FAILURES: '3' });
    clinic = await createClinic(t.dataSource, 'Secure Clinic');
    user = await createUser(t.dataSource, clinic, { email: 'doc@secure.test' });
    patient = await createPatient(t.dataSource, user, { givenName: 'Sam', familyName: 'Secure' });
    clinician = await signIn(t.server, user);
    ({ assessment } = await submitIntake(t.server, t.dataSource, clinician, patient));
  });
  afterAll(() => t.close());

  describe('response headers', () => {
    let session: PatientSession;

    beforeAll(async () => {
      session = await startPatientSession(t.server, clinician, patient);
    });

    it('carry a strict CSP, nosniff, no referrer and no-store on a page, JSON, a PDF and error pages', async () => {
      const responses: [string, request.Response][] = [
        ['dashboard page', await clinician.agent.get('/').set('Accept', 'text/html')],
        [
          'patient page',
          await clinician.agent.get(`/patients/${patient.id}`).set('Accept', 'text/html'),
        ],
        ['intake step', await session.client.agent.get('/intake/sleep').set('Accept', 'text/html')],
        ['patient API', await session.client.agent.get('/api/intake')],
        ['clinician API', await clinician.agent.get(`/api/patients/${patient.id}`)],
        [
          'PDF',
          await binary(
            clinician.agent.get(`/assessments/${assessment.id}/handouts/patient?paper=a4`),
          ),
        ],
        ['404 page', await clinician.agent.get('/no-such-page').set('Accept', 'text/html')],
        ['404 JSON', await clinician.agent.get('/api/no-such-thing')],
        [
          '403 page',
          await session.client.agent
            .post('/intake/sleep')
            .type('form')
            .set('Accept', 'text/html')
            .send({}),
        ],
        ['401 page', await request(t.server).get('/intake/context').set('Accept', 'text/html')],
        ['OpenAPI JSON', await request(t.server).get('/api/openapi.json')],
      ];
      const statuses = Object.fromEntries(responses.map(([what, r]) => [what, r.status]));
      expect(statuses).toEqual({
        'dashboard page': 200,
        'patient page': 200,
        'intake step': 200,
        'patient API': 200,
        'clinician API': 200,
        PDF: 200,
        '404 page': 404,
        '404 JSON': 404,
        '403 page': 403,
        '401 page': 401,
        'OpenAPI JSON': 200,
      });
      const pdf = responses.find(([what]) => what === 'PDF')![1];
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      for (const [what, response] of responses) {
        expectSecurityHeaders(response, what);
        // Patient data, pages and PDFs are never cached, nor are errors.
        expect({ what, cache: response.headers['cache-control'] }).toEqual({
          what,
          cache: 'no-store',
        });
      }
    });

    it("confines Swagger UI's inline styles to /api/docs, with no inline script even there", async () => {
      const docs = await request(t.server).get('/api/docs/').set('Accept', 'text/html');
      expect(docs.status).toBe(200);
      const csp = cspOf(docs);
      expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      // Beside it, the strict policy: the exception does not spill onto other routes.
      for (const path of [
        '/api/openapi.json',
        '/api',
        '/api/docsx',
        '/api/patients',
        '/sign-in',
        '/intake',
      ]) {
        expectSecurityHeaders(await request(t.server).get(path).set('Accept', 'text/html'), path);
      }
    });

    it('lets the static stylesheet and script be cached for an hour, and nothing else', async () => {
      for (const path of ['/assets/app.css', '/assets/dashboard.js']) {
        const asset = await request(t.server).get(path);
        expect(asset.status).toBe(200);
        expect(asset.headers['cache-control']).toBe('public, max-age=3600');
      }
      const missing = await request(t.server).get('/assets/none.css');
      expect(missing.headers['cache-control']).toBe('no-store');
    });

    it('leave HSTS out outside production', async () => {
      const page = await request(t.server).get('/sign-in').set('Accept', 'text/html');
      const api = await request(t.server).get('/api/patients');
      expect([page.status, api.status]).toEqual([200, 401]);
      expect(page.headers['strict-transport-security']).toBeUndefined();
      expect(api.headers['strict-transport-security']).toBeUndefined();
    });
  });

  describe('in production', () => {
    let prod: TestApp;

    beforeAll(async () => {
      prod = await startTestApp({
        NODE_ENV: 'production',
        SESSION_SECRET: SECRET,
        PUBLIC_URL: 'https://intake.clinic.test',
      });
    });
    afterAll(() => prod.close());

    it('sends HSTS on pages, JSON and errors, and Secure __Host- cookies', async () => {
      const page = await request(prod.server).get('/sign-in').set('Accept', 'text/html');
      const api = await request(prod.server).get('/api/patients');
      const missing = await request(prod.server).get('/no-such-page').set('Accept', 'text/html');
      expect([page.status, api.status, missing.status]).toEqual([200, 401, 404]);
      for (const [what, response] of [
        ['page', page],
        ['JSON', api],
        ['error page', missing],
      ] as const) {
        expect({ what, hsts: response.headers['strict-transport-security'] }).toEqual({
          what,
          hsts: 'max-age=31536000; includeSubDomains',
        });
        expectSecurityHeaders(response, what);
      }
      const cookies = page.headers['set-cookie'] as unknown as string[];
      expect(cookies.length).toBeGreaterThan(0);
      for (const cookie of cookies) {
        expect(cookie).toMatch(/^__Host-/);
        expect(cookie).toMatch(/; Secure/);
        expect(cookie).toMatch(/; HttpOnly/);
        expect(cookie).toMatch(/; Path=\//);
      }
    });
  });

  describe('session fixation (rotation between two sign-ins: auth.e2e-spec.ts)', () => {
    it('never adopts a session cookie planted before sign-in; the planted value opens nothing', async () => {
      const planted = 'attacker-chosen-session-value-0123456789abcdef';
      const client = browser(t.server);
      const signInPage = await client.agent
        .get('/sign-in')
        .set('Accept', 'text/html')
        .set('Cookie', `hp_session=${planted}`);
      const csrfCookie = cookieValue(signInPage, 'hp_csrf');
      expect(csrfCookie).toBeDefined();
      const signedIn = await request(t.server)
        .post('/sign-in')
        .set('Cookie', `hp_session=${planted}; hp_csrf=${csrfCookie}`)
        .type('form')
        .send({ _csrf: csrfFrom(signInPage.text), email: user.email, password: user.password });
      expect(signedIn.status).toBe(303);
      const issued = cookieValue(signedIn, 'hp_session');
      expect(issued).toBeDefined();
      expect(issued).not.toBe(planted);

      const withPlanted = await request(t.server)
        .get('/api/patients')
        .set('Cookie', `hp_session=${planted}`);
      expect(withPlanted.status).toBe(401);
      const withIssued = await request(t.server)
        .get('/api/patients')
        .set('Cookie', `hp_session=${issued}`);
      expect(withIssued.status).toBe(200);
    });

    it('replaces the CSRF binding at sign-in: a token from before it no longer works', async () => {
      const client = browser(t.server);
      const before = csrfFrom((await client.agent.get('/sign-in').set('Accept', 'text/html')).text);
      const signedIn = await client.agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: before, email: user.email, password: user.password });
      expect(signedIn.status).toBe(303);
      expect(cookieValue(signedIn, 'hp_csrf')).toBeDefined();
      const count = async () =>
        Number((await t.dataSource.query('SELECT count(*) AS n FROM patients'))[0].n);
      const patientsBefore = await count();

      const stale = await client.agent
        .post('/api/patients')
        .set('X-CSRF-Token', before)
        .send({ givenName: 'Stale', familyName: 'Token' });
      expect(stale.status).toBe(403);
      expect(await count()).toBe(patientsBefore);
    });

    it("never adopts a patient's planted intake cookie when the link is opened", async () => {
      const planted = 'attacker-chosen-intake-value-0123456789abcdef';
      const made = await clinician.agent
        .post(`/api/patients/${patient.id}/invitations`)
        .set('X-CSRF-Token', await clinician.csrf())
        .send({ protocol: 'trt', replace: true });
      expect(made.status).toBe(201);
      const opened = await request(t.server)
        .get(new URL(made.body.link as string).pathname)
        .set('Cookie', `hp_intake=${planted}`);
      expect(opened.status).toBe(303);
      const issued = cookieValue(opened, 'hp_intake');
      expect(issued).toBeDefined();
      expect(issued).not.toBe(planted);
      const withPlanted = await request(t.server)
        .get('/api/intake')
        .set('Cookie', `hp_intake=${planted}`);
      expect(withPlanted.status).toBe(401);
      const withIssued = await request(t.server)
        .get('/api/intake')
        .set('Cookie', `hp_intake=${issued}`);
      // The issued session is the patient's: it reaches the intake, which first asks for consent.
      expect(withIssued.status).toBe(403);
      expect(withIssued.body.code).toBe('consent_required');
    });
  });

  describe('CSRF (form without a token, foreign token, JSON without header: auth.e2e-spec.ts)', () => {
    const countPatients = async (): Promise<number> =>
      Number((await t.dataSource.query('SELECT count(*) AS n FROM patients'))[0].n);

    it('refuses a clinician JSON write with a wrong token, creating nothing', async () => {
      const before = await countPatients();
      const token = await clinician.csrf();
      const wrong = [`${token.slice(0, -2)}xx`, 'x', token.toUpperCase()];
      for (const bad of wrong) {
        const response = await clinician.agent
          .post('/api/patients')
          .set('X-CSRF-Token', bad)
          .send({ givenName: 'Forged', familyName: 'Write' });
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('csrf_rejected');
      }
      // A wrong token in the body is refused the same way.
      const inBody = await clinician.agent
        .post('/api/patients')
        .send({ _csrf: 'not-the-token', givenName: 'Forged', familyName: 'Body' });
      expect(inBody.status).toBe(403);
      expect(await countPatients()).toBe(before);
    });

    describe("on the patient's intake", () => {
      let session: PatientSession;
      let other: PatientSession;
      const stored = async (): Promise<unknown> =>
        (
          await t.dataSource.query('SELECT answers FROM intakes WHERE invitation_id = $1', [
            session.invitation.id,
          ])
        )[0].answers;

      beforeAll(async () => {
        session = await startPatientSession(t.server, clinician, patient);
        // Another protocol: a second link of the same one would replace the first.
        other = await startPatientSession(t.server, clinician, patient, 'gh_peptide_therapy');
        const saved = await session.client.agent
          .put('/api/intake/answers')
          .set('X-CSRF-Token', session.token)
          .send({ sleep: { hoursAsleep: 7 } });
        if (saved.status !== 200) throw new Error(`Saving gave ${saved.status}`);
      });

      it.each([
        ['no token', undefined],
        ['a wrong token', 'forged-token'],
        ["another patient session's token", 'other'],
      ])('refuses a step form with %s (403) and changes nothing', async (_case, token) => {
        const before = await stored();
        const fields: Record<string, string> = { hoursAsleep: '4', action: 'next' };
        if (token) fields._csrf = token === 'other' ? other.token : token;
        const response = await session.client.agent
          .post('/intake/sleep')
          .type('form')
          .set('Accept', 'text/html')
          .set('Sec-Fetch-Site', 'same-origin') // posted from one of the service's own pages
          .send(fields);
        expect(response.status).toBe(403);
        expect(response.text).toContain('Please send this again');
        expect(await stored()).toEqual(before);
        expect(before).toEqual({ hoursAsleep: 7 });
        // What was typed is kept in the page, with a fresh token: never the refused one.
        expect(response.text).toContain('<input type="hidden" name="hoursAsleep" value="4">');
        expect(response.text).toContain('action="/intake/sleep"');
        const offered = [...response.text.matchAll(/name="_csrf" value="([^"]+)"/g)].map(
          (m) => m[1],
        );
        expect(offered.length).toBeGreaterThan(0);
        expect(offered).not.toContain(fields._csrf);
      });

      it('refuses a form posted from another site outright, offering nothing to send again', async () => {
        const response = await session.client.agent
          .post('/intake/sleep')
          .type('form')
          .set('Accept', 'text/html')
          .set('Sec-Fetch-Site', 'cross-site')
          .send({ hoursAsleep: '1', action: 'next' });
        expect(response.status).toBe(403);
        expect(response.text).toContain('did not come from this site');
        expect(response.text).not.toContain('name="hoursAsleep"');
      });

      it('takes a refused step form when the patient sends it again from that page', async () => {
        const refused = await session.client.agent
          .post('/intake/sleep')
          .type('form')
          .set('Accept', 'text/html')
          .set('Origin', 'http://127.0.0.1') // as a browser says it, from the service's own page
          .set('Host', '127.0.0.1')
          .send({ _csrf: 'from-before-a-restart', hoursAsleep: '6.5', action: 'next' });
        expect(refused.status).toBe(403);
        const again = Object.fromEntries(
          [...refused.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(
            (m) => [m[1], m[2]],
          ),
        );
        const sent = await session.client.agent.post('/intake/sleep').type('form').send(again);
        expect(sent.status).toBe(303);
        expect(await stored()).toEqual({ hoursAsleep: 6.5 });
        // Back as it was, for the tests that follow.
        await session.client.agent
          .put('/api/intake/answers')
          .set('X-CSRF-Token', session.token)
          .send({ sleep: { hoursAsleep: 7 } });
      });

      it.each([
        ['a wrong token', 'forged-token'],
        ["another patient session's token", 'other'],
        ["the clinician's token", 'clinician'],
      ])('refuses a JSON write with %s (403) and changes nothing', async (_case, token) => {
        const before = await stored();
        const header =
          token === 'other' ? other.token : token === 'clinician' ? await clinician.csrf() : token;
        const response = await session.client.agent
          .put('/api/intake/answers')
          .set('X-CSRF-Token', header)
          .send({ sleep: { hoursAsleep: 4 } });
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('csrf_rejected');
        const submit = await session.client.agent
          .post('/api/intake/submit')
          .set('X-CSRF-Token', header);
        expect(submit.status).toBe(403);
        expect(await stored()).toEqual(before);
        const status = await t.dataSource.query(
          'SELECT status FROM intakes WHERE invitation_id = $1',
          [session.invitation.id],
        );
        expect(status[0].status).toBe('in_progress');
      });
    });
  });

  describe('sign-in throttling (the limit itself, right password refused: auth.e2e-spec.ts)', () => {
    it('counts failures per email however it is typed, and leaves other accounts alone', async () => {
      const target = await createUser(t.dataSource, clinic, { email: 'target@secure.test' });
      const attempt = (email: string, password: string) =>
        browser(t.server).postForm('/sign-in', { email, password });
      const failures: number[] = [];
      for (const email of ['target@secure.test', 'TARGET@secure.test', '  Target@Secure.Test ']) {
        failures.push((await attempt(email, 'a wrong guess')).status);
      }
      expect(failures).toEqual([401, 401, 401]);

      // The limit (3 here) is reached: no spelling of the email gets past it, even with the password.
      for (const email of ['target@secure.test', 'TARGET@SECURE.TEST', ' target@secure.test']) {
        const refused = await attempt(email, target.password);
        expect(refused.status).toBe(429);
        expect(refused.headers['retry-after']).toBe('900');
        expect(cookieValue(refused, 'hp_session')).toBeUndefined();
      }
      // Someone else from the same address still signs in.
      const colleague = await attempt(user.email, user.password);
      expect(colleague.status).toBe(303);
    });
  });

  describe('invitation links (expired and revoked pages: intake.e2e-spec.ts)', () => {
    it('ends an open patient session when its link is revoked: reads and writes refused, nothing saved', async () => {
      const session = await startPatientSession(t.server, clinician, patient);
      expect((await session.client.agent.get('/api/intake')).status).toBe(200);

      const revoked = await clinician.agent
        .post(`/api/invitations/${session.invitation.id}/revoke`)
        .set('X-CSRF-Token', await clinician.csrf());
      expect(revoked.status).toBe(201);

      const read = await session.client.agent.get('/api/intake');
      expect(read.status).toBe(401);
      expect(read.body.code).toBe('link_required');
      const page = await session.client.agent.get('/intake/sleep').set('Accept', 'text/html');
      expect(page.status).toBe(401);
      expect(page.text).toContain('Open the link from your clinic again');
      const write = await session.client.agent
        .put('/api/intake/answers')
        .set('X-CSRF-Token', session.token)
        .send({ sleep: { hoursAsleep: 3 } });
      expect([401, 403]).toContain(write.status);
      const rows = await t.dataSource.query(
        'SELECT answers FROM intakes WHERE invitation_id = $1',
        [session.invitation.id],
      );
      expect(rows[0].answers).toEqual({});
      const sessions = await t.dataSource.query(
        'SELECT count(*) AS n FROM sessions WHERE invitation_id = $1',
        [session.invitation.id],
      );
      expect(Number(sessions[0].n)).toBe(0);
    });

    it('ends an open patient session when its link expires', async () => {
      const session = await startPatientSession(t.server, clinician, patient);
      expect((await session.client.agent.get('/api/intake')).status).toBe(200);
      await t.dataSource.query(
        `UPDATE invitations SET expires_at = now() - interval '1 minute', created_at = now() - interval '15 days' WHERE id = $1`,
        [session.invitation.id],
      );
      const read = await session.client.agent.get('/api/intake');
      expect(read.status).toBe(401);
      expect(read.body.code).toBe('link_required');
      const write = await session.client.agent
        .put('/api/intake/answers')
        .set('X-CSRF-Token', session.token)
        .send({ sleep: { hoursAsleep: 3 } });
      expect([401, 403]).toContain(write.status);
    });
  });
});
