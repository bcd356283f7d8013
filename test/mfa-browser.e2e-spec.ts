import type { Browser as Chromium, Page } from 'puppeteer-core';
import { codeAt, fromBase32, stepAt } from '../src/auth/totp';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import { decodeQrSvg } from './support/qr';
import { createClinic, createUser, startTestApp, TestApp, TestUser } from './support/test-app';

/**
 * Two-step sign-in as staff meet it, in real Chromium without scripts: set
 * up from the QR code at the first sign-in, codes and recovery codes each
 * good once, a change of factor behind the password, an admin's reset after
 * a lost phone, and a password reset link that leaves the second step as it is.
 */
describe('two-step sign-in in real Chromium', () => {
  let t: TestApp;
  let chromium: Chromium;
  let ann: TestUser;
  let ada: TestUser;
  let annKey: Buffer;
  let adaKey: Buffer;
  let recoveryCodes: string[];

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Careful Clinic', { mfaRequired: true });
    ann = await createUser(t.dataSource, clinic, { email: 'ann@careful.test' });
    ada = await createUser(t.dataSource, clinic, { email: 'ada@careful.test', role: 'admin' });
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
  });

  const newPage = () => openPage(chromium, { javascript: false, width: 1280, height: 900 });
  const path = (page: Page) => new URL(page.url()).pathname;
  const text = (page: Page, selector: string) =>
    page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());

  async function signIn(page: Page, user: TestUser, password = user.password): Promise<void> {
    await page.goto(`${t.baseUrl}/sign-in`);
    await page.type('#field-email', user.email);
    await page.type('#field-password', password);
    await clickAndWait(page, 'form[action="/sign-in"] button[type="submit"]');
  }

  async function enterCode(page: Page, code: string): Promise<void> {
    await page.$eval('#field-code', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#field-code', code);
    await clickAndWait(
      page,
      'form[action^="/sign-in/"] button[type="submit"], form[action="/account/mfa/set-up"] button[type="submit"]',
    );
  }

  async function signOut(page: Page): Promise<void> {
    await clickAndWait(page, 'form[action="/sign-out"] button');
  }

  /** What the phone reads from the QR code on the page: the otpauth URI's secret. */
  async function scan(page: Page): Promise<Buffer> {
    const svg = await page.$eval('.qr__code svg', (el) => el.outerHTML);
    const uri = new URL(decodeQrSvg(svg)!);
    expect(uri.protocol).toBe('otpauth:');
    const secret = uri.searchParams.get('secret')!;
    // The key under the code, for typing by hand, is the same secret.
    expect((await text(page, '#mfa-secret')).replace(/ /g, '')).toBe(secret);
    return fromBase32(secret);
  }

  const codeNow = (key: Buffer, ahead = 0) => codeAt(key, stepAt(new Date()) + ahead);

  it('sets up an authenticator from the QR code at the first sign-in, and shows ten recovery codes once', async () => {
    const { context, page } = await newPage();
    try {
      await signIn(page, ann);
      expect(path(page)).toBe('/sign-in/set-up');
      await expectAccessible(page, 'set-up page');
      // Nothing else opens before the second step: the list leads back to it, the API refuses.
      await page.goto(`${t.baseUrl}/`);
      expect(path(page)).toBe('/sign-in/set-up');
      expect((await page.goto(`${t.baseUrl}/api/patients`))!.status()).toBe(401);
      await page.goto(`${t.baseUrl}/sign-in/set-up`);

      annKey = await scan(page);
      await enterCode(page, '000000' === codeNow(annKey) ? '111111' : '000000');
      expect(await text(page, '.field__error')).toContain('does not match');
      await expectAccessible(page, 'set-up page with a wrong code');

      await enterCode(page, codeNow(annKey));
      expect(path(page)).toBe('/account/recovery-codes');
      recoveryCodes = await page.$$eval('#recovery-codes li', (items) =>
        items.map((li) => li.textContent.trim()),
      );
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
      await expectAccessible(page, 'recovery codes page');
      // Shown once: a reload shows how many are left, not the codes.
      await page.reload();
      expect(await page.$('#recovery-codes')).toBeNull();
      expect(await text(page, 'main')).toContain('You have 10 of 10 recovery codes left');

      const [stored] = await t.dataSource.query<{ n: number; plain: number }[]>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE position(convert_to($1, 'UTF8') IN code_hash) > 0)::int AS plain
         FROM mfa_recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = $2`,
        [recoveryCodes[0].replace(/-/g, ''), ann.email],
      );
      expect(stored).toEqual({ n: 10, plain: 0 });
    } finally {
      await context.close();
    }
  });

  it('asks for a code at the next sign-in; a code is good once', async () => {
    const { context, page } = await newPage();
    try {
      await signIn(page, ann);
      expect(path(page)).toBe('/sign-in/code');
      await expectAccessible(page, 'code page');
      // The step after the one used at set-up: a phone's clock may run a little ahead.
      const code = codeNow(annKey, 1);
      await enterCode(page, code);
      expect(path(page)).toBe('/');
      await signOut(page);

      await signIn(page, ann);
      await enterCode(page, code);
      expect(path(page)).toBe('/sign-in/code');
      expect(await text(page, '.field__error')).toContain('That code is not right');
      await expectAccessible(page, 'code page with a replayed code');
    } finally {
      await context.close();
    }
  });

  it('takes a recovery code in place of the code, once', async () => {
    const { context, page } = await newPage();
    try {
      await signIn(page, ann);
      await enterCode(page, recoveryCodes[0].toLowerCase());
      expect(path(page)).toBe('/');
      await signOut(page);

      await signIn(page, ann);
      await enterCode(page, recoveryCodes[0]);
      expect(await text(page, '.field__error')).toContain('That code is not right');
      await enterCode(page, recoveryCodes[1]);
      expect(path(page)).toBe('/');

      await page.goto(`${t.baseUrl}/account/security`);
      expect(await text(page, 'main')).toContain('You have 8 recovery codes left');
      await expectAccessible(page, 'security page');
    } finally {
      await context.close();
    }
  });

  it('asks for the password again before moving to a new phone', async () => {
    const { context, page } = await newPage();
    try {
      await signIn(page, ann);
      await enterCode(page, recoveryCodes[2]);
      await page.goto(`${t.baseUrl}/account/security`);
      await page.type('#field-password', 'not the password at all');
      await clickAndWait(page, 'form[action="/account/mfa"] button[type="submit"]');
      expect(path(page)).toBe('/account/mfa');
      expect(await text(page, '.field__error')).toContain('That is not your password');
      await expectAccessible(page, 'security page with a wrong password');

      await page.type('#field-password', ann.password);
      await clickAndWait(page, 'form[action="/account/mfa"] button[type="submit"]');
      expect(path(page)).toBe('/account/mfa/set-up');
      const newKey = await scan(page);
      expect(newKey.equals(annKey)).toBe(false);
      // Until confirmed, the old authenticator is still the one: leave without confirming.
      await page.goto(`${t.baseUrl}/account/security`);
      expect(await text(page, 'main')).toContain('On since');
    } finally {
      await context.close();
    }
  });

  it("an admin resets a lost phone's two-step sign-in: signed out everywhere, set up again at the next sign-in", async () => {
    const annBrowser = await newPage();
    const adaBrowser = await newPage();
    try {
      await signIn(annBrowser.page, ann);
      await enterCode(annBrowser.page, recoveryCodes[3]);
      expect(path(annBrowser.page)).toBe('/');

      const admin = adaBrowser.page;
      await signIn(admin, ada);
      adaKey = await scan(admin);
      await enterCode(admin, codeNow(adaKey));
      await admin.goto(`${t.baseUrl}/admin/clinicians`);
      const row = `#user-${ann.user.id}`;
      expect(await text(admin, row)).toContain('Two-step sign-in on');
      await clickAndWait(admin, `${row} form[action$="/mfa-reset"] button`);
      expect(await text(admin, row)).toContain('Two-step sign-in off');
      await expectAccessible(admin, 'clinicians page after a reset');

      const [event] = await t.dataSource.query<{ actor_id: string; outcome: string }[]>(
        `SELECT actor_id, outcome FROM audit_events WHERE action = 'auth.mfa_reset' AND target_id = $1`,
        [ann.user.id],
      );
      expect(event).toEqual({ actor_id: ada.user.id, outcome: 'success' });

      await annBrowser.page.reload();
      expect(path(annBrowser.page)).toBe('/sign-in');
      await signIn(annBrowser.page, ann);
      expect(path(annBrowser.page)).toBe('/sign-in/set-up');
      annKey = await scan(annBrowser.page);
      await enterCode(annBrowser.page, codeNow(annKey));
      expect(path(annBrowser.page)).toBe('/account/recovery-codes');
    } finally {
      await annBrowser.context.close();
      await adaBrowser.context.close();
    }
  });

  it('a password reset link sets a new password and leaves the second step as it was', async () => {
    const adaBrowser = await newPage();
    const annBrowser = await newPage();
    try {
      const admin = adaBrowser.page;
      await signIn(admin, ada);
      await enterCode(admin, codeNow(adaKey, 1));
      await admin.goto(`${t.baseUrl}/admin/clinicians`);
      await clickAndWait(admin, `#user-${ann.user.id} form[action$="/password-reset"] button`);
      const link = await admin.$eval('#new-link', (el) => (el as HTMLInputElement).value);
      expect(link).toMatch(/\/password-reset\/[A-Za-z0-9_-]{43}$/);
      expect(await text(admin, '#new-link-notice')).toContain('choose a new password');

      const page = annBrowser.page;
      await page.goto(`${t.baseUrl}${new URL(link).pathname}`);
      expect(await text(page, 'h1')).toBe('Choose a new password');
      await expectAccessible(page, 'password reset page');
      const fresh = 'ann chose a fresh passphrase today';
      await page.type('#field-password', fresh);
      await page.type('#field-passwordConfirmation', fresh);
      await clickAndWait(page, 'form button[type="submit"]');
      expect(path(page)).toBe('/sign-in');

      await signIn(page, ann);
      expect(await text(page, '.error-summary')).toContain('The email or password is not right');
      await signIn(page, ann, fresh);
      expect(path(page)).toBe('/sign-in/code');
      await enterCode(page, codeNow(annKey, 1));
      expect(path(page)).toBe('/');

      // The link worked once.
      await page.goto(`${t.baseUrl}${new URL(link).pathname}`);
      expect(await text(page, 'h1')).toBe('This link does not work');
    } finally {
      await adaBrowser.context.close();
      await annBrowser.context.close();
    }
  });
});
