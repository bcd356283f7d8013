import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { Clock } from '../src/common/clock';
import { InvitationEntity } from '../src/invitations/invitation.entity';
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

const MAX_FAILURES = 3;
const WINDOW_MS = 15 * 60_000;
const THROTTLED =
  'Too many attempts with invitation links from this network. Wait 15 minutes, or ask the clinic for your link.';

/**
 * The limit is counted from the audit log in PostgreSQL, not in the process,
 * so it holds across several instances on one database by construction; the
 * test helper starts one instance per database, so that is not shown here.
 */
describe('invitation links: a limit on failed opens per client address', () => {
  let t: TestApp;
  let clinician: Browser;
  let patient: PatientEntity;
  const triedTokens: string[] = [];

  const invite = async (): Promise<{ id: string; path: string; token: string }> => {
    const response = await clinician.agent
      .post(`/api/patients/${patient.id}/invitations`)
      .set('X-CSRF-Token', await clinician.csrf())
      .send({ protocol: 'trt', replace: true });
    expect(response.status).toBe(201);
    const body = response.body as { id: string; link: string };
    const path = new URL(body.link).pathname;
    triedTokens.push(path.slice('/i/'.length));
    return { id: body.id, path, token: path.slice('/i/'.length) };
  };

  /** A token no link has, as a guesser would try. */
  const guess = (): string => {
    const token = randomBytes(32).toString('base64url');
    triedTokens.push(token);
    return `/i/${token}`;
  };

  /** Opens a link from a client address (behind the trusted proxy), as a browser would. */
  const open = (path: string, ip: string, accept = 'text/html') =>
    request(t.server).get(path).set('X-Forwarded-For', ip).set('Accept', accept);

  /** Moves the service's clock (every Clock instance) forward. */
  const later = (ms: number) =>
    jest.spyOn(Clock.prototype, 'now').mockImplementation(() => new Date(Date.now() + ms));

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'loopback',
      INVITATION_LINK_MAX_FAILURES: String(MAX_FAILURES),
    });
    const clinic = await createClinic(t.dataSource, 'Throttle Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@throttle.test' });
    patient = await createPatient(t.dataSource, user);
    clinician = await signIn(t.server, user);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  it('refuses every link from an address past the limit, a valid one too, until the window passes', async () => {
    const guesser = '203.0.113.7';
    const valid = await invite();

    for (let i = 0; i < MAX_FAILURES; i++) expect((await open(guess(), guesser)).status).toBe(404);

    const page = await open(guess(), guesser);
    expect(page.status).toBe(429);
    expect(page.headers['retry-after']).toBe(String(WINDOW_MS / 1000));
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Too many attempts');
    expect(page.text).toContain(THROTTLED);

    // A valid link is refused too, and not used: the answer tells nothing about the token.
    const validPage = await open(valid.path, guesser);
    expect(validPage.status).toBe(429);
    expect(validPage.text).toContain(THROTTLED);
    expect(String(validPage.headers['set-cookie'])).not.toContain('hp_intake=');
    const row = await t.dataSource
      .getRepository(InvitationEntity)
      .findOneByOrFail({ id: valid.id });
    expect(row.firstUsedAt).toBeNull();

    // A client that asks for JSON gets the one error body, with Retry-After.
    const json = await open(valid.path, guesser, 'application/json');
    expect(json.status).toBe(429);
    expect(json.headers['retry-after']).toBe(String(WINDOW_MS / 1000));
    expect(json.body).toMatchObject({
      statusCode: 429,
      code: 'too_many_attempts',
      message: THROTTLED,
    });

    // Another address is not affected.
    const other = await open(valid.path, '198.51.100.9');
    expect(other.status).toBe(303);
    expect(other.headers.location).toBe('/intake');

    // Refusals while throttled do not extend the wait: it ends a window after the last failure.
    later(WINDOW_MS - 60_000);
    expect((await open(guess(), guesser)).status).toBe(429);
    later(WINDOW_MS + 60_000);
    const again = await open(valid.path, guesser);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/intake');
  });

  it('counts expired and revoked links as failures, as well as unknown ones', async () => {
    const address = '192.0.2.44';
    const expired = await invite();
    await t.dataSource.query(
      `UPDATE invitations SET expires_at = now() - interval '1 minute', created_at = now() - interval '15 days' WHERE id = $1`,
      [expired.id],
    );
    const revoked = await invite();
    const revoking = await clinician.agent
      .post(`/api/invitations/${revoked.id}/revoke`)
      .set('X-CSRF-Token', await clinician.csrf());
    expect(revoking.status).toBe(201);
    const valid = await invite();

    expect((await open(expired.path, address)).status).toBe(410);
    expect((await open(revoked.path, address)).status).toBe(410);
    expect((await open(guess(), address)).status).toBe(404);
    expect((await open(valid.path, address)).status).toBe(429);
  });

  it('audits each failed open with its reason and the address, never the token', async () => {
    const address = '192.0.2.99';
    expect((await open(guess(), address)).status).toBe(404);

    const failures = await t.dataSource.query<{ outcome: string; detail: object }[]>(
      `SELECT outcome, detail FROM audit_events WHERE action = 'intake.link_open' AND ip = $1`,
      [address],
    );
    expect(failures).toEqual([{ outcome: 'failure', detail: { problem: 'unknown' } }]);
    const throttled = await t.dataSource.query<{ outcome: string }[]>(
      `SELECT outcome FROM audit_events WHERE action = 'intake.link_open_throttled'`,
    );
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((event) => event.outcome === 'denied')).toBe(true);

    const everything = JSON.stringify(await t.dataSource.query('SELECT * FROM audit_events'));
    expect(triedTokens.length).toBeGreaterThan(MAX_FAILURES);
    for (const token of triedTokens) {
      expect(everything).not.toContain(token);
      const hash = createHash('sha256').update(token).digest();
      expect(everything).not.toContain(hash.toString('hex'));
      expect(everything).not.toContain(hash.toString('base64'));
    }
  });
});

describe('a client that reaches the port directly cannot pose as the proxy', () => {
  let t: TestApp;

  // The proxy is at 10.9.9.9; this test's requests come from 127.0.0.1, as a client would
  // that found the app's port open. Its X-Forwarded-For is not believed.
  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: '10.9.9.9',
      INVITATION_LINK_MAX_FAILURES: String(MAX_FAILURES),
    });
  });
  afterAll(() => t.close());

  it('is throttled by its real address however it rotates X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MAX_FAILURES + 2; i++) {
      const response = await request(t.server)
        .get(`/i/${randomBytes(32).toString('base64url')}`)
        .set('X-Forwarded-For', `198.51.100.${i + 1}`)
        .set('Accept', 'text/html');
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array<number>(MAX_FAILURES).fill(404), 429, 429]);
  });
});
