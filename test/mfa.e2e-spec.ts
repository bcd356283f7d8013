import { resetMfaByEmail } from '../src/auth/mfa-reset.command';
import { codeAt, fromBase32, stepAt } from '../src/auth/totp';
import { ClinicEntity } from '../src/clinics/clinic.entity';
import {
  Browser,
  browser,
  createClinic,
  createUser,
  csrfFrom,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

/** Two-step sign-in's limits and races, through HTTP on PostgreSQL. */
describe('two-step sign-in (HTTP, PostgreSQL)', () => {
  let t: TestApp;
  let clinic: ClinicEntity;
  let admin: TestUser;
  let adminBrowser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    clinic = await createClinic(t.dataSource, 'Strict Clinic', { mfaRequired: true });
    admin = await createUser(t.dataSource, clinic, { email: 'admin@strict.test', role: 'admin' });
    adminBrowser = await signIn(t.server, admin);
  });
  afterAll(() => t.close());

  /** Password right: the browser, where it was sent, and the step's CSRF token. */
  async function password(
    user: TestUser,
  ): Promise<{ client: Browser; next: string; csrf: string }> {
    const client = browser(t.server);
    const response = await client.postForm('/sign-in', {
      email: user.email,
      password: user.password,
    });
    const next = response.headers.location;
    const page = await client.agent.get(next).set('Accept', 'text/html');
    return { client, next, csrf: csrfFrom(page.text) };
  }

  const keyOf = async (client: Browser) =>
    /id="mfa-secret">([^<]+)</.exec(
      (await client.agent.get('/sign-in/set-up').set('Accept', 'text/html')).text,
    )![1];

  const postCode = (client: Browser, path: string, csrf: string, code: string) =>
    client.agent.post(path).type('form').send({ _csrf: csrf, code });

  it('sends a clinician of a clinic that requires it to set it up; then two racing uses of one code let one in', async () => {
    const cleo = await createUser(t.dataSource, clinic, { email: 'cleo@strict.test' });
    const first = await password(cleo);
    expect(first.next).toBe('/sign-in/set-up');
    const key = fromBase32(await keyOf(first.client));
    expect(
      (await postCode(first.client, first.next, first.csrf, codeAt(key, stepAt(new Date()))))
        .status,
    ).toBe(303);

    // Two browsers, the same fresh code, at once: only one signs in.
    const [a, b] = await Promise.all([password(cleo), password(cleo)]);
    expect(a.next).toBe('/sign-in/code');
    const code = codeAt(key, stepAt(new Date()) + 1);
    const statuses = await Promise.all([
      postCode(a.client, a.next, a.csrf, code).then((r) => r.status),
      postCode(b.client, b.next, b.csrf, code).then((r) => r.status),
    ]);
    expect(statuses.sort()).toEqual([303, 400]);
  });

  it('shows a secret being set up to the one sign-in that asked for it, and lets it set up only an account without one', async () => {
    const fay = await createUser(t.dataSource, clinic, { email: 'fay@strict.test' });
    const mine = await password(fay);
    const myKey = await keyOf(mine.client);
    // Someone else with the password, at the same step, gets another secret, not hers.
    const theirs = await password(fay);
    const theirKey = await keyOf(theirs.client);
    expect(theirKey).not.toBe(myKey);
    // Hers is void now (one secret at a time); her page makes a new one, and voids theirs.
    const stale = await postCode(
      mine.client,
      mine.next,
      mine.csrf,
      codeAt(fromBase32(myKey), stepAt(new Date())),
    );
    expect(stale.status).toBe(409);
    const fresh = fromBase32(await keyOf(mine.client));
    expect(
      (await postCode(mine.client, mine.next, mine.csrf, codeAt(fresh, stepAt(new Date())))).status,
    ).toBe(303);
    const late = await postCode(
      theirs.client,
      theirs.next,
      theirs.csrf,
      codeAt(fromBase32(theirKey), stepAt(new Date())),
    );
    expect(late.status).toBe(409);
  });

  it('locks the second step after twenty wrong codes in a row, however often the password is given, until a reset', async () => {
    const gus = await createUser(t.dataSource, clinic, { email: 'gus@strict.test' });
    const first = await password(gus);
    const key = fromBase32(await keyOf(first.client));
    await postCode(first.client, first.next, first.csrf, codeAt(key, stepAt(new Date())));
    await t.dataSource.query(`UPDATE users SET mfa_failures = 19 WHERE id = $1`, [gus.user.id]);

    const again = await password(gus);
    expect((await postCode(again.client, again.next, again.csrf, '000000')).status).toBe(400);
    const right = await password(gus);
    const locked = await postCode(
      right.client,
      right.next,
      right.csrf,
      codeAt(key, stepAt(new Date()) + 1),
    );
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Ask an admin of your clinic to reset');

    expect(
      (await adminBrowser.postForm(`/admin/clinicians/${gus.user.id}/mfa-reset`, {})).status,
    ).toBe(303);
    expect((await password(gus)).next).toBe('/sign-in/set-up');
  });

  it('new recovery codes end every other session of the user', async () => {
    const hal = await createUser(t.dataSource, clinic, { email: 'hal@strict.test' });
    const desk = await signIn(t.server, hal);
    const laptop = browser(t.server);
    const started = await laptop.postForm('/sign-in', { email: hal.email, password: hal.password });
    expect(started.headers.location).toBe('/sign-in/code');
    const codes = await desk.postForm('/account/recovery-codes', { password: hal.password });
    expect(codes.status).toBe(303);
    expect((await desk.agent.get('/api/patients')).status).toBe(200);
    // The laptop's waiting sign-in is gone with the rest.
    expect((await laptop.agent.get('/sign-in/code')).headers.location).toBe('/sign-in');
  });

  it('after five wrong codes, refuses the sixth whatever it is, and the password is asked again', async () => {
    const dan = await createUser(t.dataSource, clinic, { email: 'dan@strict.test' });
    const { client, next, csrf } = await password(dan);
    const key = fromBase32(await keyOf(client));
    await postCode(client, next, csrf, codeAt(key, stepAt(new Date())));

    const again = await password(dan);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await postCode(again.client, again.next, again.csrf, '000000')).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400]);
    const sixth = await postCode(
      again.client,
      again.next,
      again.csrf,
      codeAt(key, stepAt(new Date()) + 1),
    );
    expect(sixth.status).toBe(429);
    expect(sixth.text).toContain('Too many wrong codes');
    // The waiting session is gone: the code page leads back to the password.
    const page = await again.client.agent.get('/sign-in/code').set('Accept', 'text/html');
    expect(page.headers.location).toBe('/sign-in');

    const [events] = await t.dataSource.query<{ failure: number; denied: number }[]>(
      `SELECT count(*) FILTER (WHERE outcome = 'failure')::int AS failure,
              count(*) FILTER (WHERE outcome = 'denied')::int AS denied
       FROM audit_events WHERE action = 'auth.mfa_verify' AND actor_id = $1`,
      [dan.user.id],
    );
    expect(events).toEqual({ failure: 5, denied: 1 });
  });

  it("is the admin's to require: turning it off lets a new clinician in with the password; turning it on asks them to set it up", async () => {
    const toggle = async (value: 'yes' | 'no') =>
      (await adminBrowser.postForm('/admin/clinic/mfa', { mfaRequired: value })).status;

    expect(await toggle('no')).toBe(303);
    const eve = await createUser(t.dataSource, clinic, { email: 'eve@strict.test' });
    expect((await password(eve)).next).toBe('/');
    expect(await toggle('yes')).toBe(303);
    expect((await password(eve)).next).toBe('/sign-in/set-up');

    const changes = await t.dataSource.query<{ detail: { required: boolean } }[]>(
      `SELECT detail FROM audit_events WHERE action = 'clinic.mfa_required' ORDER BY id`,
    );
    expect(changes.map((c) => c.detail.required)).toEqual([false, true]);

    // An admin's own factor is changed on their own page, with their password, not here.
    const self = await adminBrowser.postForm(`/admin/clinicians/${admin.user.id}/mfa-reset`, {});
    expect(self.status).toBe(409);
    expect(self.text).toContain('Sign-in and security');

    // A clinician may not reset anyone's: the route is the admins'.
    const eveBrowser = await signIn(t.server, eve);
    const refused = await eveBrowser.postForm(`/admin/clinicians/${admin.user.id}/mfa-reset`, {});
    expect(refused.status).toBe(403);
  });
});

describe('npm run mfa:reset (the operator, when no admin can)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("clears one staff member's second factor, ends their sessions, and records it as the system's", async () => {
    const clinic = await createClinic(t.dataSource, 'Lone Admin Clinic', { mfaRequired: true });
    const only = await createUser(t.dataSource, clinic, { email: 'only@lone.test', role: 'admin' });
    const client = await signIn(t.server, only);
    expect((await client.agent.get('/api/patients')).status).toBe(200);

    expect(await resetMfaByEmail(t.dataSource, ' Only@Lone.test ')).toBe(true);
    expect(await resetMfaByEmail(t.dataSource, 'nobody@lone.test')).toBe(false);

    expect((await client.agent.get('/api/patients')).status).toBe(401);
    const next = await browser(t.server).postForm('/sign-in', {
      email: only.email,
      password: only.password,
    });
    expect(next.headers.location).toBe('/sign-in/set-up');
    const [event] = await t.dataSource.query<{ actor_type: string; detail: object }[]>(
      `SELECT actor_type, detail FROM audit_events WHERE action = 'auth.mfa_reset' AND target_id = $1`,
      [only.user.id],
    );
    expect(event).toEqual({ actor_type: 'system', detail: { by: 'command', sessionsEnded: 1 } });
  });
});
