import request from 'supertest';
import { LessThan } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { SessionSweeper } from '../src/auth/session-sweeper';
import { SessionEntity } from '../src/auth/session.entity';
import { ClinicEntity } from '../src/clinics/clinic.entity';
import {
  browser,
  createClinic,
  createUser,
  csrfFrom,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

const SESSION_COOKIE = 'hp_session';

function cookieNamed(setCookie: string[] | string | undefined, name: string): string | undefined {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.find((cookie) => cookie.startsWith(`${name}=`));
}

describe('clinician sign-in (through HTTP, on PostgreSQL)', () => {
  let t: TestApp;
  let clinic: ClinicEntity;
  let alice: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ SIGN_IN_MAX_FAILURES: '5' });
    clinic = await createClinic(t.dataSource, 'North Clinic');
    alice = await createUser(t.dataSource, clinic, { email: 'alice@north.test' });
  });
  afterAll(() => t.close());

  it('signs in through the form, setting an HttpOnly SameSite session cookie, and shows the clinic', async () => {
    const client = browser(t.server);
    const response = await client.postForm('/sign-in', {
      email: 'Alice@North.test ',
      password: alice.password,
    });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    const cookie = cookieNamed(response.headers['set-cookie'], SESSION_COOKIE);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);

    const home = await client.agent.get('/').set('Accept', 'text/html');
    expect(home.status).toBe(200);
    expect(home.text).toContain('User alice@north.test');
    expect(home.headers['cache-control']).toBe('no-store');
  });

  it('answers a wrong password exactly as an unknown email, with no hint which', async () => {
    const attempt = async (email: string) => {
      const client = browser(t.server);
      return client.postForm('/sign-in', { email, password: 'not the password' });
    };
    const wrongPassword = await attempt('alice@north.test');
    const unknownEmail = await attempt('nobody@north.test');

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const message = (html: string) =>
      /<h2>Could not sign in<\/h2>\s*<p>([^<]*)<\/p>/.exec(html)?.[1];
    expect(message(wrongPassword.text)).toBe('The email or password is not right.');
    expect(message(unknownEmail.text)).toBe(message(wrongPassword.text));
    expect(cookieNamed(wrongPassword.headers['set-cookie'], SESSION_COOKIE)).toBeUndefined();
    // The email typed stays in the form; the password never comes back.
    expect(wrongPassword.text).toContain('value="alice@north.test"');
    expect(wrongPassword.text).not.toContain('not the password');
  });

  it('refuses a deactivated clinician with the same answer', async () => {
    const gone = await createUser(t.dataSource, clinic, {
      email: 'gone@north.test',
      deactivated: true,
    });
    const client = browser(t.server);
    const response = await client.postForm('/sign-in', {
      email: gone.email,
      password: gone.password,
    });
    expect(response.status).toBe(401);
    expect(response.text).toContain('The email or password is not right.');
  });

  it('names the field when the form is incomplete, keeping what was typed', async () => {
    const client = browser(t.server);
    const response = await client.postForm('/sign-in', { email: 'not-an-email', password: '' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('href="#field-email"');
    expect(response.text).toContain('href="#field-password"');
    expect(response.text).toContain('value="not-an-email"');
  });

  it('rotates the session at sign-in: the earlier session of that browser stops working', async () => {
    const client = browser(t.server);
    const signInOnce = async () =>
      client.postForm('/sign-in', { email: alice.email, password: alice.password });
    const sessionValue = (response: request.Response) =>
      /^hp_session=([^;]+)/.exec(
        cookieNamed(response.headers['set-cookie'], SESSION_COOKIE) ?? '',
      )?.[1];

    const first = sessionValue(await signInOnce());
    const sessionsBefore = await t.dataSource
      .getRepository(SessionEntity)
      .countBy({ userId: alice.user.id });
    const second = sessionValue(await signInOnce());

    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    // The old session was deleted as the new one was made.
    expect(await t.dataSource.getRepository(SessionEntity).countBy({ userId: alice.user.id })).toBe(
      sessionsBefore,
    );
    const replay = await request(t.server)
      .get('/api/patients')
      .set('Cookie', `${SESSION_COOKIE}=${first}`);
    expect(replay.status).toBe(401);
    const current = await request(t.server)
      .get('/api/patients')
      .set('Cookie', `${SESSION_COOKIE}=${second}`);
    expect(current.status).toBe(200);
  });

  it('signs out: the session is deleted and its cookie no longer opens pages', async () => {
    const client = await signIn(t.server, alice);
    const home = await client.agent.get('/').set('Accept', 'text/html');
    const out = await client.agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/sign-in');

    const after = await client.agent.get('/').set('Accept', 'text/html');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/sign-in');
    const api = await client.agent.get('/api/patients');
    expect(api.status).toBe(401);
    expect(api.body).toMatchObject({ statusCode: 401, code: 'not_signed_in' });
  });

  it('ends a session after the idle timeout', async () => {
    const client = await signIn(t.server, alice);
    expect((await client.agent.get('/api/patients')).status).toBe(200);
    const idle = t.config.sessionIdleMinutes + 1;
    await t.dataSource.query(
      `UPDATE sessions SET last_seen_at = now() - make_interval(mins => $1) WHERE user_id = $2`,
      [idle, alice.user.id],
    );
    const sessions = t.dataSource.getRepository(SessionEntity);
    const before = await sessions.countBy({ userId: alice.user.id });
    expect((await client.agent.get('/api/patients')).status).toBe(401);
    // The expired session is deleted when it is next presented.
    expect(await sessions.countBy({ userId: alice.user.id })).toBe(before - 1);
  });

  it('ends a session at its absolute timeout, however active', async () => {
    const client = await signIn(t.server, alice);
    await t.dataSource.query(
      `UPDATE sessions SET created_at = now() - interval '13 hours', expires_at = now() - interval '1 minute', last_seen_at = now() WHERE user_id = $1`,
      [alice.user.id],
    );
    expect((await client.agent.get('/api/patients')).status).toBe(401);
  });

  it('sweeps sessions past their absolute end, and only those', async () => {
    await signIn(t.server, alice);
    await signIn(t.server, alice);
    const sessions = t.dataSource.getRepository(SessionEntity);
    const [oldest] = await sessions.find({
      where: { userId: alice.user.id },
      order: { createdAt: 'ASC' },
      take: 1,
    });
    await sessions.update(
      { id: oldest.id },
      { createdAt: new Date(Date.now() - 86_400_000), expiresAt: new Date(Date.now() - 60_000) },
    );
    const expired = () => sessions.countBy({ expiresAt: LessThan(new Date()) });
    const expiredBefore = await expired();
    const totalBefore = await sessions.count();
    expect(expiredBefore).toBeGreaterThan(0);

    expect(await t.app.get(SessionSweeper).sweep()).toBe(expiredBefore);
    expect(await expired()).toBe(0);
    expect(await sessions.existsBy({ id: oldest.id })).toBe(false);
    expect(await sessions.count()).toBe(totalBefore - expiredBefore); // live sessions stay
  });

  describe('CSRF', () => {
    it('rejects a state-changing form without a token, and with a token from another browser', async () => {
      const client = await signIn(t.server, alice);
      const none = await client.agent.post('/sign-out').type('form').send({});
      expect(none.status).toBe(403);

      const other = await signIn(t.server, alice);
      const foreignToken = csrfFrom((await other.agent.get('/').set('Accept', 'text/html')).text);
      const forged = await client.agent
        .post('/sign-out')
        .type('form')
        .send({ _csrf: foreignToken });
      expect(forged.status).toBe(403);
      expect(forged.text).toContain('did not come from this site');

      // The session survived both attempts.
      expect((await client.agent.get('/api/patients')).status).toBe(200);
    });

    it('rejects a JSON request without the X-CSRF-Token header, and accepts it with one', async () => {
      const client = await signIn(t.server, alice);
      const body = { givenName: 'Robin', familyName: 'Vale' };
      const without = await client.agent.post('/api/patients').send(body);
      expect(without.status).toBe(403);
      expect(without.body.code).toBe('csrf_rejected');

      const token = await client.csrf();
      const withToken = await client.agent
        .post('/api/patients')
        .set('X-CSRF-Token', token)
        .send(body);
      expect(withToken.status).toBe(201);
    });

    it('rejects a sign-in form posted without a token (login CSRF)', async () => {
      const response = await request(t.server)
        .post('/sign-in')
        .type('form')
        .send({ email: alice.email, password: alice.password });
      expect(response.status).toBe(403);
      expect(cookieNamed(response.headers['set-cookie'], SESSION_COOKIE)).toBeUndefined();
    });
  });

  it('records sign-ins in the audit log without the password', async () => {
    const events = await t.dataSource
      .getRepository(AuditEventEntity)
      .findBy({ action: 'auth.sign_in' });
    expect(events.some((e) => e.outcome === 'success' && e.actorId === alice.user.id)).toBe(true);
    expect(
      events.some((e) => e.outcome === 'failure' && e.detail.email === 'nobody@north.test'),
    ).toBe(true);
    expect(JSON.stringify(events)).not.toContain(alice.password);
    expect(JSON.stringify(events)).not.toContain('not the password');
  });

  it('throttles sign-in after repeated failures for one email, with Retry-After', async () => {
    const target = await createUser(t.dataSource, clinic, { email: 'target@north.test' });
    const client = browser(t.server);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await client.postForm('/sign-in', {
        email: target.email,
        password: `guess ${i}`,
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);

    // Even the right password is refused while throttled.
    const right = await client.postForm('/sign-in', {
      email: target.email,
      password: target.password,
    });
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(880);
    expect(right.text).toContain('Too many failed sign-ins');
  });
});

describe('a short idle timeout', () => {
  let t: TestApp;
  let bob: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ SESSION_IDLE_MINUTES: '1' });
    bob = await createUser(t.dataSource, await createClinic(t.dataSource, 'Brief Clinic'), {
      email: 'bob@brief.test',
    });
  });
  afterAll(() => t.close());

  /** As if `seconds` had passed since the session was last seen. */
  const wait = (seconds: number) =>
    t.dataSource.query(
      `UPDATE sessions SET last_seen_at = last_seen_at - make_interval(secs => $1) WHERE user_id = $2`,
      [seconds, bob.user.id],
    );

  it('counts from the last request: a clinician active every 40 seconds stays signed in', async () => {
    const client = await signIn(t.server, bob);
    for (let i = 0; i < 4; i++) {
      await wait(40);
      expect((await client.agent.get('/api/patients')).status).toBe(200);
    }
    await wait(61);
    expect((await client.agent.get('/api/patients')).status).toBe(401);
  });
});
