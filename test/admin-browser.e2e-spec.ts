import type { Browser as Chromium, Page } from 'puppeteer-core';
import { UserEntity } from '../src/users/user.entity';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import { createClinic, createUser, startTestApp, TestApp, TestUser } from './support/test-app';

describe('an admin manages clinicians and reads the audit log in real Chromium', () => {
  let t: TestApp;
  let chromium: Chromium;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Browser Admin Clinic');
    admin = await createUser(t.dataSource, clinic, { email: 'admin@browser.test', role: 'admin' });
    await createUser(t.dataSource, clinic, { email: 'doc@browser.test' });
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
  });

  /** Its pages load no script, so every step works without JavaScript. */
  const newPage = () => openPage(chromium, { javascript: false, width: 1280, height: 900 });
  const submit = clickAndWait;

  async function signInAs(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${t.baseUrl}/sign-in`);
    await page.type('#field-email', email);
    await page.type('#field-password', password);
    await submit(page, 'form[action="/sign-in"] button[type="submit"]');
  }

  it('invites a clinician, who chooses a password on the welcome page and signs in', async () => {
    const { context, page } = await newPage();
    try {
      await signInAs(page, admin.email, admin.password);
      await Promise.all([page.waitForNavigation(), page.click('nav a[href="/admin/clinicians"]')]);
      expect(new URL(page.url()).pathname).toBe('/admin/clinicians');
      await expectAccessible(page, 'clinicians page');

      // A mistake first: the summary names the field and what was typed stays.
      await page.type('#field-displayName', 'Dr Eve Stone');
      await page.type('#field-email', 'eve-at-browser.test');
      await submit(page, 'form[action="/admin/clinicians"] button[type="submit"]');
      expect(await page.$eval('.error-summary a', (a) => a.getAttribute('href'))).toBe(
        '#field-email',
      );
      expect(await page.$eval('#field-displayName', (el) => (el as HTMLInputElement).value)).toBe(
        'Dr Eve Stone',
      );
      await expectAccessible(page, 'clinicians page with an error');

      await page.$eval('#field-email', (el) => ((el as HTMLInputElement).value = ''));
      await page.type('#field-email', 'eve@browser.test');
      await page.select('#field-role', 'clinician');
      await submit(page, 'form[action="/admin/clinicians"] button[type="submit"]');
      const link = await page.$eval('#new-link', (el) => (el as HTMLInputElement).value);
      expect(link).toMatch(/\/welcome\/[A-Za-z0-9_-]{43}$/);
      expect(await page.$eval('tbody', (el) => el.textContent)).toContain(
        'Invited, not joined yet',
      );
      await expectAccessible(page, 'clinicians page with a new link');

      const invited = await newPage();
      try {
        await invited.page.goto(`${t.baseUrl}${new URL(link).pathname}`);
        expect(await invited.page.$eval('h1', (el) => el.textContent)).toBe('Choose your password');
        await expectAccessible(invited.page, 'welcome page');
        await invited.page.type('#field-password', 'eve picks a long passphrase');
        await invited.page.type('#field-passwordConfirmation', 'eve picks a long passphrase');
        await submit(invited.page, 'form button[type="submit"]');
        expect(new URL(invited.page.url()).pathname).toBe('/sign-in');
        await signInAs(invited.page, 'eve@browser.test', 'eve picks a long passphrase');
        expect(new URL(invited.page.url()).pathname).toBe('/');
        expect(await invited.page.$eval('.account__name', (el) => el.textContent)).toContain(
          'Dr Eve Stone',
        );
      } finally {
        await invited.context.close();
      }
      const eve = await t.dataSource
        .getRepository(UserEntity)
        .findOneByOrFail({ email: 'eve@browser.test' });
      expect(eve.passwordHash).toMatch(/^\$argon2id\$/);
    } finally {
      await context.close();
    }
  });

  it('opens the audit log, filters it, and finds the invitation', async () => {
    const { context, page } = await newPage();
    try {
      await signInAs(page, admin.email, admin.password);
      await Promise.all([page.waitForNavigation(), page.click('nav a[href="/admin/audit"]')]);
      await expectAccessible(page, 'audit page');

      await page.select('#field-action', 'user.invite');
      await page.select('#field-outcome', 'success');
      await submit(page, 'form[action="/admin/audit"] button[type="submit"]');
      const url = new URL(page.url());
      expect(url.pathname).toBe('/admin/audit');
      expect(url.searchParams.get('action')).toBe('user.invite');
      expect(url.searchParams.get('outcome')).toBe('success');
      const rows = await page.$$eval('tbody tr', (trs) =>
        trs.map((tr) =>
          Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim() ?? ''),
        ),
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.[1]).toBe('User admin@browser.test');
      expect(rows[0]?.[2]).toBe('Invited a staff memberuser.invite'); // in words, then the code
      expect(rows[0]?.[3]).toBe('none'); // no patient
      expect(rows[0]?.[5]).toBe('Success');
      expect(await page.$eval('#field-action', (el) => (el as HTMLInputElement).value)).toBe(
        'user.invite',
      );
      await expectAccessible(page, 'audit page, filtered');
    } finally {
      await context.close();
    }
  });
});
