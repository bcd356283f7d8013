import { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/app-config';
import {
  Browser,
  browser,
  createClinic,
  createUser,
  csrfFrom,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

const LIMIT = 10;

/** A browser behind the proxy, at `ip`: its sign-in form, with whatever cookies it holds. */
async function signInFrom(client: Browser, ip: string, email: string, password: string) {
  const token = await client.csrf(); // the sign-in form, or the home page when signed in
  return client.agent
    .post('/sign-in')
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ _csrf: token, email, password });
}

describe('sign-in limits (real PostgreSQL, two instances)', () => {
  let t: TestApp;
  let second: NestExpressApplication;
  let alice: TestUser;
  let bea: TestUser;

  beforeAll(async () => {
    const env = { TRUST_PROXY: 'loopback', SIGN_IN_MAX_FAILURES: String(LIMIT) };
    t = await startTestApp(env);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
    second = await createApp(config, { url: t.database.url, embedded: false });
    await second.init();
    const clinic = await createClinic(t.dataSource, 'Throttle Clinic');
    alice = await createUser(t.dataSource, clinic, { email: 'alice@throttle.test' });
    bea = await createUser(t.dataSource, clinic, { email: 'bea@throttle.test' });
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  const events = async (action: string, outcome: string, email: string): Promise<number> => {
    const [row] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND outcome = $2 AND detail ->> 'email' = $3`,
      [action, outcome, email],
    );
    return row.n;
  };

  it('40 concurrent wrong passwords through two instances get at most the limit of real checks', async () => {
    const servers: Server[] = [t.server, second.getHttpServer()];
    const clients = Array.from({ length: 40 }, (_, i) => browser(servers[i % 2]));
    // Each browser fetches its form first, so the 40 posts below race each other and nothing else.
    const tokens = await Promise.all(
      clients.map(async (client) =>
        csrfFrom((await client.agent.get('/sign-in').set('Accept', 'text/html')).text),
      ),
    );
    const statuses = await Promise.all(
      clients.map((client, i) =>
        client.agent
          .post('/sign-in')
          .type('form')
          .send({ _csrf: tokens[i], email: bea.email, password: `wrong guess ${i}` })
          .then((response) => response.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - LIMIT);
    // A real check is what writes a failed sign-in.
    expect(await events('auth.sign_in', 'failure', bea.email)).toBe(LIMIT);
    expect(await events('auth.sign_in_throttled', 'denied', bea.email)).toBe(40 - LIMIT);
  });

  it("keeps the attacker's address out, but never a clinician on the browser she signed in with before", async () => {
    const usual = browser(t.server);
    expect((await signInFrom(usual, '198.51.100.7', alice.email, alice.password)).status).toBe(303);
    await usual.agent
      .post('/sign-out')
      .type('form')
      .send({
        _csrf: csrfFrom((await usual.agent.get('/').set('Accept', 'text/html')).text),
      });

    // Someone elsewhere guesses from many addresses, far past every limit.
    const attacker = browser(t.server);
    const statuses: number[] = [];
    for (let i = 0; i < 3 * LIMIT; i++) {
      const ip = `203.0.113.${i % 3}`;
      statuses.push((await signInFrom(attacker, ip, alice.email, `guess ${i}`)).status);
    }
    expect(statuses).toContain(429);
    // The right password from the attacker's address and browser is refused too.
    const lucky = await signInFrom(attacker, '203.0.113.0', alice.email, alice.password);
    expect(lucky.status).toBe(429);
    expect(lucky.text).toContain('Too many failed sign-ins');

    // Alice, on her usual browser, wherever she is, signs in at once.
    const back = await signInFrom(usual, '192.0.2.44', alice.email, alice.password);
    expect(back.status).toBe(303);

    // From a browser she never used, the account is slowed, not locked: told to wait seconds, not minutes.
    const fresh = await signInFrom(browser(t.server), '192.0.2.45', alice.email, alice.password);
    expect(fresh.status).toBe(429);
    expect(Number(fresh.headers['retry-after'])).toBeLessThanOrEqual(90);
    expect(fresh.text).toContain('sign in from a browser you have used here before');

    // Her browser vouches for her alone: for Bea's account, at its limit since the first test, it
    // is an unknown browser, let one more guess through and then slowed.
    const forBea: number[] = [];
    for (let i = 0; i < 2; i++)
      forBea.push((await signInFrom(usual, '192.0.2.44', bea.email, `a guess ${i}`)).status);
    expect(forBea).toEqual([401, 429]);
  });

  it('a slowed account gives its slot to one attempt, however many arrive at once', async () => {
    const dora = await createUser(t.dataSource, await createClinic(t.dataSource, 'Slow'), {
      email: 'dora@slow.test',
    });
    // Past the account's limit, from as many addresses.
    for (let i = 0; i < LIMIT; i++)
      await signInFrom(browser(t.server), `198.18.0.${i}`, dora.email, `guess ${i}`);
    const clients = Array.from({ length: 12 }, () => browser(t.server));
    const tokens = await Promise.all(clients.map((client) => client.csrf()));
    const statuses = await Promise.all(
      clients.map((client, i) =>
        client.agent
          .post('/sign-in')
          .set('X-Forwarded-For', `198.18.1.${i}`)
          .type('form')
          .send({ _csrf: tokens[i], email: dora.email, password: `burst ${i}` })
          .then((response) => response.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(11);
  });

  it("does not lock out a clinic's staff behind an address that failed many times", async () => {
    const shared = '192.0.2.200';
    const carol = await createUser(t.dataSource, await createClinic(t.dataSource, 'Shared'), {
      email: 'carol@shared.test',
    });
    const desk = browser(t.server);
    expect((await signInFrom(desk, shared, carol.email, carol.password)).status).toBe(303);

    // Thirty-odd failures from the shared address, for many made-up emails.
    const noisy = browser(t.server);
    const statuses: number[] = [];
    for (let i = 0; i < 3 * LIMIT + 2; i++)
      statuses.push((await signInFrom(noisy, shared, `temp${i}@shared.test`, 'nope')).status);
    expect(statuses.slice(-2)).toEqual([429, 429]);

    // Carol, on the desk's browser, signs in again.
    expect((await signInFrom(desk, shared, carol.email, carol.password)).status).toBe(303);
  });
});
