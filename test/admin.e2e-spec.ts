import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { SessionEntity } from '../src/auth/session.entity';
import { ClinicEntity } from '../src/clinics/clinic.entity';
import { hashToken } from '../src/common/tokens';
import { UserEntity } from '../src/users/user.entity';
import {
  Browser,
  browser,
  createClinic,
  createUser,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

const PUBLIC_URL = 'https://staff.clinic.test';
const LINK = /value="https:\/\/staff\.clinic\.test\/welcome\/([A-Za-z0-9_-]{43})"/;
const DAY_MS = 86_400_000;

describe('admin pages: clinicians, welcome links and the audit log (through HTTP, on PostgreSQL)', () => {
  let t: TestApp;
  let north: ClinicEntity;
  let admin: TestUser;
  let adminClient: Browser;
  let doc: TestUser;
  let docClient: Browser;
  let southAdmin: TestUser;
  let southAdminClient: Browser;
  let southDoc: TestUser;
  /** Every link token and password these tests use: none may reach the audit log. */
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL, INVITATION_TTL_DAYS: '7' });
    north = await createClinic(t.dataSource, 'North Clinic');
    admin = await createUser(t.dataSource, north, { email: 'admin@north.test', role: 'admin' });
    doc = await createUser(t.dataSource, north, { email: 'doc@north.test' });
    const south = await createClinic(t.dataSource, 'South Clinic');
    southAdmin = await createUser(t.dataSource, south, {
      email: 'admin@south.test',
      role: 'admin',
    });
    southDoc = await createUser(t.dataSource, south, { email: 'doc@south.test' });
    secrets.push(admin.password, doc.password, southAdmin.password, southDoc.password);
    adminClient = await signIn(t.server, admin);
    docClient = await signIn(t.server, doc);
    southAdminClient = await signIn(t.server, southAdmin);
  });
  afterAll(() => t.close());

  const page = (client: Browser, path: string) => client.agent.get(path).set('Accept', 'text/html');
  const users = () => t.dataSource.getRepository(UserEntity);
  const events = () => t.dataSource.getRepository(AuditEventEntity);

  async function invite(
    client: Browser,
    fields: { displayName: string; email: string; role: string },
  ): Promise<{ token: string; user: UserEntity; html: string }> {
    const made = await client.postForm('/admin/clinicians', fields);
    expect(made.status).toBe(303);
    expect(made.headers.location).toBe('/admin/clinicians#new-link-notice');
    // The link crosses the redirect to the page, which a reload shows again.
    const response = await page(client, '/admin/clinicians');
    const token = LINK.exec(response.text)?.[1];
    if (!token) throw new Error('No link on the page');
    secrets.push(token);
    const user = await users().findOneByOrFail({ email: fields.email.trim().toLowerCase() });
    return { token, user, html: response.text };
  }

  async function choosePassword(token: string, password: string): Promise<request.Response> {
    secrets.push(password);
    return browser(t.server).postForm(`/welcome/${token}`, {
      password,
      passwordConfirmation: password,
    });
  }

  const signInStatus = async (email: string, password: string) =>
    (await browser(t.server).postForm('/sign-in', { email, password })).status;

  describe('inviting a clinician', () => {
    it('shows the link once, lets the invited user choose a password on the welcome page, then sign in', async () => {
      const list = await page(adminClient, '/admin/clinicians');
      expect(list.status).toBe(200);
      expect(list.text).toContain('User doc@north.test');
      expect(list.text).toContain('href="/admin/clinicians"'); // the nav link
      expect(list.text).toContain('href="/admin/audit"');
      expect(list.text).not.toContain('doc@south.test');

      const before = Date.now();
      const { token, user, html } = await invite(adminClient, {
        displayName: 'Dr Ada Lane',
        email: ' Ada@North.test ',
        role: 'clinician',
      });
      expect(html).toContain('for ten minutes');
      expect(html).toContain('ada@north.test');
      // Stored: the user without a password, and only the SHA-256 of the token.
      expect(user).toMatchObject({
        clinicId: north.id,
        displayName: 'Dr Ada Lane',
        role: 'clinician',
        passwordHash: null,
        deactivatedAt: null,
      });
      expect(user.invitationTokenHash?.equals(hashToken(token))).toBe(true);
      const expiry = user.invitationExpiresAt?.getTime() ?? 0;
      expect(expiry).toBeGreaterThanOrEqual(before + 7 * DAY_MS - 1_000);
      expect(expiry).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS + 1_000);
      expect(html).toContain(`until <strong>${new Date(expiry).toISOString().slice(0, 10)}`);

      // A reload in this browser shows it again; no other browser ever sees it.
      expect((await page(adminClient, '/admin/clinicians')).text).toContain(token);
      const elsewhere = await signIn(t.server, admin);
      const again = await page(elsewhere, '/admin/clinicians');
      expect(again.text).not.toContain(token);
      expect(again.text).toContain('Invited, not joined yet');

      // No password yet: sign-in refuses, whatever is typed.
      expect(await signInStatus('ada@north.test', 'anything at all here')).toBe(401);

      const welcome = await page(browser(t.server), `/welcome/${token}`);
      expect(welcome.status).toBe(200);
      expect(welcome.text).toContain('Welcome, Dr Ada Lane');
      expect(welcome.text).toContain('value="ada@north.test"');

      const chosen = await choosePassword(token, 'a long and private passphrase');
      expect(chosen.status).toBe(303);
      expect(chosen.headers.location).toBe('/sign-in');
      const joined = await users().findOneByOrFail({ id: user.id });
      expect(joined.passwordHash).toMatch(/^\$argon2id\$/);
      expect(joined.invitationTokenHash).toBeNull();
      expect(joined.invitationExpiresAt).toBeNull();

      const ada = await signIn(t.server, {
        user: joined,
        email: 'ada@north.test',
        password: 'a long and private passphrase',
      });
      expect((await page(ada, '/')).status).toBe(200);
      // A clinician has no admin links.
      expect((await page(ada, '/')).text).not.toContain('href="/admin/audit"');
      expect((await page(adminClient, '/admin/clinicians')).text).toMatch(
        /Dr Ada Lane[\s\S]*?state--active/,
      );

      const audited = await events().findBy({ targetId: user.id });
      expect(audited.map((e) => [e.action, e.outcome, e.actorId])).toEqual(
        expect.arrayContaining([
          ['user.invite', 'success', admin.user.id],
          ['user.join', 'success', user.id],
        ]),
      );
    });

    it('gives an admin role to an invited admin, who then sees the admin pages', async () => {
      const { token, user } = await invite(adminClient, {
        displayName: 'Second Admin',
        email: 'admin2@north.test',
        role: 'admin',
      });
      expect(user.role).toBe('admin');
      expect((await choosePassword(token, 'second admin passphrase')).status).toBe(303);
      const second = await signIn(t.server, {
        user,
        email: 'admin2@north.test',
        password: 'second admin passphrase',
      });
      expect((await page(second, '/admin/clinicians')).status).toBe(200);
    });

    it('names each bad field, keeps what was typed, and saves nothing', async () => {
      const count = await users().count();
      const refused = await adminClient.postForm('/admin/clinicians', {
        displayName: '   ',
        email: 'not-an-email',
        role: 'root',
      });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('There is a problem');
      for (const field of ['displayName', 'email', 'role']) {
        expect(refused.text).toContain(`href="#field-${field}"`);
      }
      expect(refused.text).toContain('value="not-an-email"');
      expect(refused.text).not.toMatch(LINK);
      expect(await users().count()).toBe(count);
    });

    it('refuses an email that already has an account, in any case and any clinic, naming the field', async () => {
      const count = await users().count();
      for (const email of ['DOC@north.test', 'doc@south.test']) {
        const refused = await adminClient.postForm('/admin/clinicians', {
          displayName: 'Dup Licate',
          email,
          role: 'clinician',
        });
        expect(refused.status).toBe(409);
        expect(refused.text).toContain('href="#field-email"');
        expect(refused.text).toContain('Someone already has an account with this email address.');
        expect(refused.text).toContain('value="Dup Licate"');
        expect(refused.text).toContain(`value="${email}"`);
        expect(refused.text).not.toMatch(LINK);
      }
      expect(await users().count()).toBe(count);
      expect(
        await events().countBy({ action: 'user.invite', outcome: 'failure', clinicId: north.id }),
      ).toBe(2);
    });
  });

  describe('the welcome link', () => {
    it('works once: a replaced, used, unknown or malformed link answers 404 and an expired one 410', async () => {
      const first = await invite(adminClient, {
        displayName: 'Bo Reissue',
        email: 'bo@north.test',
        role: 'clinician',
      });
      const reissued = await adminClient.postForm(`/admin/clinicians/${first.user.id}/link`, {});
      expect(reissued.status).toBe(303);
      const token = LINK.exec((await page(adminClient, '/admin/clinicians')).text)?.[1] ?? '';
      secrets.push(token);
      expect(token).not.toBe(first.token);
      expect((await page(browser(t.server), `/welcome/${first.token}`)).status).toBe(404);
      expect((await page(browser(t.server), `/welcome/${token}`)).status).toBe(200);

      // Expired: refused on both the page and the form, and nothing is saved.
      const expiresAt = (await users().findOneByOrFail({ id: first.user.id })).invitationExpiresAt;
      await users().update(
        { id: first.user.id },
        { invitationExpiresAt: new Date(Date.now() - 1) },
      );
      const expired = await page(browser(t.server), `/welcome/${token}`);
      expect(expired.status).toBe(410);
      expect(expired.text).toContain('This link has expired');
      expect((await choosePassword(token, 'too late for this link')).status).toBe(410);
      expect((await users().findOneByOrFail({ id: first.user.id })).passwordHash).toBeNull();
      await users().update({ id: first.user.id }, { invitationExpiresAt: expiresAt });

      expect((await choosePassword(token, 'bo chooses a passphrase')).status).toBe(303);
      const used = await choosePassword(token, 'someone else tries again');
      expect(used.status).toBe(404);
      expect(used.text).toContain('already been used');
      expect(await signInStatus('bo@north.test', 'someone else tries again')).toBe(401);
      expect(await signInStatus('bo@north.test', 'bo chooses a passphrase')).toBe(303);

      for (const path of [`/welcome/${token}`, '/welcome/abc', `/welcome/${'x'.repeat(43)}`]) {
        const response = await page(browser(t.server), path);
        expect(response.status).toBe(404);
        expect(response.text).toContain('This link does not work');
        expect(response.text).not.toMatch(/\bat \w+ \(/); // never a stack
      }

      // A user who has joined gets no new link.
      const again = await adminClient.postForm(`/admin/clinicians/${first.user.id}/link`, {});
      expect(again.status).toBe(409);
      expect(again.text).toContain('has already joined');
      expect(again.text).not.toMatch(LINK);
    });

    it('names the field for a short or mismatched password and keeps the link usable', async () => {
      const { token, user } = await invite(adminClient, {
        displayName: 'Cy Short',
        email: 'cy@north.test',
        role: 'clinician',
      });
      const client = browser(t.server);
      const short = await client.postForm(`/welcome/${token}`, {
        password: 'short',
        passwordConfirmation: 'short',
      });
      expect(short.status).toBe(400);
      expect(short.text).toContain('href="#field-password"');
      expect(short.text).toContain('at least 12 characters');
      const mismatch = await client.postForm(`/welcome/${token}`, {
        password: 'one long passphrase',
        passwordConfirmation: 'another long passphrase',
      });
      expect(mismatch.status).toBe(400);
      expect(mismatch.text).toContain('href="#field-passwordConfirmation"');
      expect(mismatch.text).not.toContain('one long passphrase');
      const row = await users().findOneByOrFail({ id: user.id });
      expect(row.passwordHash).toBeNull();
      expect(row.invitationTokenHash?.equals(hashToken(token))).toBe(true);
    });

    it('refuses a password that is easy to guess, saying why at the field, and keeps the link usable', async () => {
      const { token, user } = await invite(adminClient, {
        displayName: 'Gus Weak',
        email: 'gus.weak@north.test',
        role: 'clinician',
      });
      const client = browser(t.server);
      for (const [password, why] of [
        ['aaaaaaaaaaaa', 'Repeated characters'],
        ['password1234', 'commonly used password'],
        ['correcthorse', 'Add more words'],
        ['gus.weak@north.test', 'own name or email'],
      ]) {
        // Passwords, not to be audited; the email is the user's own and may be.
        if (!password.includes('@')) secrets.push(password);
        const weak = await client.postForm(`/welcome/${token}`, {
          password,
          passwordConfirmation: password,
        });
        expect(`${password} ${weak.status}`).toBe(`${password} 400`);
        expect(weak.text).toContain('href="#field-password"');
        expect(weak.text).toContain('too easy to guess');
        expect(weak.text).toContain(why);
        // The form comes back with the password fields empty: a password is never echoed.
        expect(weak.text).not.toMatch(/name="password(Confirmation)?"[^>]*value=/);
      }
      const row = await users().findOneByOrFail({ id: user.id });
      expect(row.passwordHash).toBeNull();
      expect(row.invitationTokenHash?.equals(hashToken(token))).toBe(true);
      expect((await choosePassword(token, 'gus picks four quiet words')).status).toBe(303);
    });

    it('refuses the link of a deactivated user with 410', async () => {
      const { token, user } = await invite(adminClient, {
        displayName: 'Di Gone',
        email: 'di@north.test',
        role: 'clinician',
      });
      expect(
        (await adminClient.postForm(`/admin/clinicians/${user.id}/deactivate`, {})).status,
      ).toBe(303);
      expect((await page(browser(t.server), `/welcome/${token}`)).status).toBe(410);
      expect((await choosePassword(token, 'deactivated but trying')).status).toBe(410);
      expect((await users().findOneByOrFail({ id: user.id })).passwordHash).toBeNull();
    });
  });

  describe('deactivating', () => {
    it('ends every session of the user at once and blocks sign-in; reactivating lets them back', async () => {
      const nurse = await createUser(t.dataSource, north, { email: 'nurse@north.test' });
      secrets.push(nurse.password);
      const laptop = await signIn(t.server, nurse);
      const phone = await signIn(t.server, nurse);
      const sessions = () =>
        t.dataSource.getRepository(SessionEntity).countBy({ userId: nurse.user.id });
      expect(await sessions()).toBe(2);

      const done = await adminClient.postForm(`/admin/clinicians/${nurse.user.id}/deactivate`, {});
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe(`/admin/clinicians#user-${nurse.user.id}`);
      expect(await sessions()).toBe(0);
      for (const client of [laptop, phone]) {
        const home = await page(client, '/');
        expect(home.status).toBe(303);
        expect(home.headers.location).toBe('/sign-in');
      }
      expect(await signInStatus(nurse.email, nurse.password)).toBe(401);
      expect((await users().findOneByOrFail({ id: nurse.user.id })).deactivatedAt).not.toBeNull();
      expect((await page(adminClient, '/admin/clinicians')).text).toContain(
        `/admin/clinicians/${nurse.user.id}/reactivate`,
      );
      const [event] = await events().findBy({ action: 'user.deactivate', targetId: nurse.user.id });
      expect(event).toMatchObject({
        actorId: admin.user.id,
        outcome: 'success',
        detail: { sessionsEnded: 2 },
      });

      const back = await adminClient.postForm(`/admin/clinicians/${nurse.user.id}/reactivate`, {});
      expect(back.status).toBe(303);
      expect(await signInStatus(nurse.email, nurse.password)).toBe(303);
      expect(await events().countBy({ action: 'user.reactivate', targetId: nurse.user.id })).toBe(
        1,
      );
    });

    it('refuses to let an admin deactivate themselves, with a clear message', async () => {
      const list = await page(adminClient, '/admin/clinicians');
      expect(list.text).not.toContain(`/admin/clinicians/${admin.user.id}/deactivate`);
      const refused = await adminClient.postForm(
        `/admin/clinicians/${admin.user.id}/deactivate`,
        {},
      );
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('You cannot deactivate your own account');
      expect((await users().findOneByOrFail({ id: admin.user.id })).deactivatedAt).toBeNull();
      expect((await page(adminClient, '/admin/clinicians')).status).toBe(200);
      expect(
        await events().countBy({
          action: 'user.deactivate',
          targetId: admin.user.id,
          outcome: 'denied',
        }),
      ).toBe(1);
    });
  });

  describe('who may use the admin pages', () => {
    const postRoutes = (id: string) => [
      '/admin/clinicians',
      `/admin/clinicians/${id}/link`,
      `/admin/clinicians/${id}/deactivate`,
      `/admin/clinicians/${id}/reactivate`,
    ];

    it('refuses a clinician with 403 on every admin route, changing nothing', async () => {
      for (const path of [
        '/admin/clinicians',
        '/admin/audit',
        '/admin/audit?action=auth.sign_in',
      ]) {
        const response = await page(docClient, path);
        expect({ path, status: response.status }).toEqual({ path, status: 403 });
      }
      const count = await users().count();
      for (const path of postRoutes(admin.user.id)) {
        const response = await docClient.postForm(path, {
          displayName: 'Sneaky',
          email: 'sneaky@north.test',
          role: 'admin',
        });
        expect({ path, status: response.status }).toEqual({ path, status: 403 });
      }
      expect(await users().count()).toBe(count);
      expect((await users().findOneByOrFail({ id: admin.user.id })).deactivatedAt).toBeNull();
      expect((await request(t.server).get('/api/audit-events').set('Cookie', '')).status).toBe(401);
    });

    it('sends a signed-out visitor to sign in from every admin page and form', async () => {
      const visitor = browser(t.server);
      for (const path of ['/admin/clinicians', '/admin/audit']) {
        const response = await page(visitor, path);
        expect({ path, status: response.status, to: response.headers.location }).toEqual({
          path,
          status: 303,
          to: '/sign-in',
        });
      }
      for (const path of postRoutes(doc.user.id)) {
        const response = await visitor.agent
          .post(path)
          .set('Accept', 'text/html')
          .type('form')
          .send({ _csrf: await visitor.csrf() });
        expect({ path, status: response.status, to: response.headers.location }).toEqual({
          path,
          status: 303,
          to: '/sign-in',
        });
      }
    });

    it("answers 404 for another clinic's user ids exactly as for unknown ones, changing nothing", async () => {
      const southInvited = await invite(southAdminClient, {
        displayName: 'South Invitee',
        email: 'invitee@south.test',
        role: 'clinician',
      });
      const before = await users().findOneByOrFail({ id: southInvited.user.id });
      /** The page's message, without the request id that differs each time. */
      const messageOf = (html: string) => /<p class="lead">([^<]*)<\/p>/.exec(html)?.[1];

      for (const action of ['link', 'deactivate', 'reactivate']) {
        const unknown = await adminClient.postForm(
          `/admin/clinicians/${randomUUID()}/${action}`,
          {},
        );
        expect(unknown.status).toBe(404);
        expect(messageOf(unknown.text)).toBe('The user was not found.');
        for (const target of [southDoc.user.id, southInvited.user.id]) {
          const response = await adminClient.postForm(`/admin/clinicians/${target}/${action}`, {});
          expect({ target, action, status: response.status }).toEqual({
            target,
            action,
            status: 404,
          });
          expect(messageOf(response.text)).toBe(messageOf(unknown.text));
          expect(response.text).not.toContain('South');
        }
        const malformed = await adminClient.postForm(`/admin/clinicians/not-a-uuid/${action}`, {});
        expect(malformed.status).toBe(404);
      }
      const after = await users().findOneByOrFail({ id: southInvited.user.id });
      expect(after.invitationTokenHash?.equals(before.invitationTokenHash as Buffer)).toBe(true);
      expect(after.deactivatedAt).toBeNull();
      expect((await users().findOneByOrFail({ id: southDoc.user.id })).deactivatedAt).toBeNull();
      expect((await page(browser(t.server), `/welcome/${southInvited.token}`)).status).toBe(200);
    });
  });

  describe('the audit log', () => {
    const pagingTarget = randomUUID();
    let pagingIds: string[];

    beforeAll(async () => {
      // Five events of one kind, inserted as the service would, oldest first.
      for (let i = 0; i < 5; i++) {
        await events().insert({
          clinicId: north.id,
          actorType: 'user',
          actorId: doc.user.id,
          action: 'assessment.recompute',
          targetType: 'patient',
          targetId: pagingTarget,
          outcome: i === 0 ? 'failure' : 'success',
          requestId: `req-paging-${i}`,
          detail: {},
        });
      }
      await events().insert({
        clinicId: north.id,
        actorType: 'system',
        actorId: null,
        action: 'clinic.settings',
        outcome: 'success',
        occurredAt: new Date('2020-01-15T10:30:00Z'),
        detail: {},
      });
      pagingIds = (
        await events().find({ where: { action: 'assessment.recompute' }, order: { id: 'DESC' } })
      ).map((e) => e.id);
    });

    /** The request ids of the rows shown, in order. */
    const rowsOf = (html: string) =>
      [...html.matchAll(/<code class="admin-id">(req-[\w-]+)<\/code>/g)].map((m) => m[1]);

    it('shows who, what, when, outcome and request id, newest first, and audits the viewing', async () => {
      const viewed = await page(adminClient, '/admin/audit?action=assessment.recompute');
      expect(viewed.status).toBe(200);
      expect(rowsOf(viewed.text)).toEqual([4, 3, 2, 1, 0].map((i) => `req-paging-${i}`));
      expect(viewed.text).toContain('User doc@north.test'); // the actor's display name
      expect(viewed.text).toContain('<code>assessment.recompute</code>');
      expect(viewed.text).toContain('Assessed an intake again'); // the action in words
      expect(viewed.text).toContain(`<code>${pagingTarget}</code>`);
      expect(viewed.text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
      expect(viewed.text).toContain('state--failure');
      expect(viewed.text).not.toContain('Older events');

      const [view] = await events().find({
        where: { action: 'audit.view', actorId: admin.user.id },
        order: { id: 'DESC' },
        take: 1,
      });
      expect(view).toMatchObject({
        outcome: 'success',
        detail: { action: 'assessment.recompute', count: 5 },
      });
    });

    it('pages by keyset with an "Older events" link that keeps the filters', async () => {
      const seen: string[] = [];
      const pages: number[] = [];
      const olderLinks: URLSearchParams[] = [];
      let path: string | undefined = '/admin/audit?action=assessment.recompute&limit=2';
      while (path) {
        const response = await page(adminClient, path);
        expect(response.status).toBe(200);
        const rows = rowsOf(response.text);
        pages.push(rows.length);
        seen.push(...rows.map(String));
        const older = /<a href="([^"]+)" rel="next">Older events<\/a>/.exec(response.text)?.[1];
        path = older?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
        if (path) olderLinks.push(new URL(path, 'http://x').searchParams);
      }
      expect(pages).toEqual([2, 2, 1]);
      // Each link keeps the filters and continues after the last event shown.
      expect(olderLinks.map((params) => Object.fromEntries(params))).toEqual([
        { action: 'assessment.recompute', limit: '2', before: pagingIds[1] },
        { action: 'assessment.recompute', limit: '2', before: pagingIds[3] },
      ]);
      expect(seen).toEqual([4, 3, 2, 1, 0].map((i) => `req-paging-${i}`));

      // The API pages the same way.
      const first = await adminClient.agent.get(
        '/api/audit-events?action=assessment.recompute&limit=2',
      );
      expect(first.body.map((e: { id: string }) => e.id)).toEqual(pagingIds.slice(0, 2));
      const next = await adminClient.agent.get(
        `/api/audit-events?action=assessment.recompute&limit=2&before=${first.body[1].id}`,
      );
      expect(next.body.map((e: { id: string }) => e.id)).toEqual(pagingIds.slice(2, 4));
    });

    it('filters by actor, outcome, record and dates, on the page and in the API', async () => {
      const byOutcome = await page(
        adminClient,
        `/admin/audit?action=assessment.recompute&outcome=failure&actorId=${doc.user.id}`,
      );
      expect(rowsOf(byOutcome.text)).toEqual(['req-paging-0']);
      expect(byOutcome.text).toMatch(new RegExp(`<option value="${doc.user.id}" selected>`));

      const byTarget = await adminClient.agent.get(`/api/audit-events?targetId=${pagingTarget}`);
      expect(byTarget.status).toBe(200);
      expect(byTarget.body).toHaveLength(5);

      const byActor = await adminClient.agent.get(`/api/audit-events?actorId=${admin.user.id}`);
      expect(byActor.body.length).toBeGreaterThan(0);
      expect(byActor.body.every((e: { actorId: string }) => e.actorId === admin.user.id)).toBe(
        true,
      );

      const byDays = await adminClient.agent.get('/api/audit-events?from=2020-01-15&to=2020-01-15');
      expect(byDays.body.map((e: { action: string }) => e.action)).toEqual(['clinic.settings']);
      const dayPage = await page(adminClient, '/admin/audit?from=2020-01-15&to=2020-01-15');
      expect(dayPage.text).toContain('2020-01-15 10:30:00');
      expect(dayPage.text).toContain('The service');
      const before = await page(adminClient, '/admin/audit?to=2020-01-14');
      expect(before.text).toContain('No events match these filters.');

      // Another clinic's events never show, even when asked for by actor.
      const south = await adminClient.agent.get(`/api/audit-events?actorId=${southAdmin.user.id}`);
      expect(south.body).toEqual([]);
    });

    it('shows the request id of an action and the name of its actor', async () => {
      await adminClient.agent
        .get('/admin/clinicians')
        .set('Accept', 'text/html')
        .set('X-Request-Id', 'req-admin-look-1');
      const response = await page(adminClient, '/admin/audit?action=user.list&limit=1');
      expect(rowsOf(response.text)).toEqual(['req-admin-look-1']);
      expect(response.text).toContain('User admin@north.test');
    });

    it('names the field of a bad filter and keeps what was typed', async () => {
      const refused = await page(
        adminClient,
        '/admin/audit?from=2026-02-30&outcome=maybe&targetId=abc&action=Drop%20table',
      );
      expect(refused.status).toBe(400);
      for (const field of ['from', 'outcome', 'targetId', 'action']) {
        expect(refused.text).toContain(`href="#field-${field}"`);
      }
      expect(refused.text).toContain('value="abc"');
      expect(refused.text).toContain('value="2026-02-30"');
      // The action is chosen from the typed list: one that is not in it is named, not kept.
      expect(refused.text).toContain('Choose an action from the list.');
      expect(refused.text).not.toContain('<table');

      const backwards = await page(adminClient, '/admin/audit?from=2026-03-02&to=2026-03-01');
      expect(backwards.status).toBe(400);
      expect(backwards.text).toContain('href="#field-to"');
      expect(backwards.text).toContain('The last day cannot be before the first day.');

      const api = await adminClient.agent.get('/api/audit-events?outcome=maybe&before=abc');
      expect(api.status).toBe(400);
      expect(api.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'before',
        'outcome',
      ]);
    });
  });

  it('never writes a link token or a password into the audit log', async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const all = JSON.stringify(await events().find());
    for (const secret of secrets) expect(all).not.toContain(secret);
    const details = (await events().find()).map((e) => Object.keys(e.detail)).flat();
    expect(details).not.toEqual(expect.arrayContaining(['password']));
    expect(details).not.toEqual(expect.arrayContaining(['token']));
  });
});
