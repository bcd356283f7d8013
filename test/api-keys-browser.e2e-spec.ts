import type { Browser as Chromium, Page } from 'puppeteer-core';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import { createClinic, createUser, startTestApp, TestApp, TestUser } from './support/test-app';

/*
 * The API keys page in real Chromium, as an admin uses it: a key asked for
 * without a scope (refused at the field, the name kept), then made and shown
 * once, then revoked; axe on each state. A screenshot is saved as
 * /tmp/api-keys-page.png for a person to look at (not committed).
 */
describe('the API keys page, in real Chromium', () => {
  let t: TestApp;
  let chromium: Chromium;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Browser Key Clinic');
    admin = await createUser(t.dataSource, clinic, {
      email: 'admin@keys-browser.test',
      role: 'admin',
    });
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
  });

  const textOf = (page: Page, selector: string): Promise<string> =>
    page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());

  it('makes a key (refused first without a scope), shows it once, and revokes it', async () => {
    const window = await openPage(chromium, { javascript: true, width: 1280, height: 900 });
    try {
      const page = window.page;
      await page.goto(`${t.baseUrl}/sign-in`);
      await page.type('#field-email', admin.email);
      await page.type('#field-password', admin.password);
      await clickAndWait(page, 'form[action="/sign-in"] button[type="submit"]');
      await page.goto(`${t.baseUrl}/admin/api-keys`);
      await expectAccessible(page, 'API keys page, empty');

      await page.type('#field-name', 'Practice EHR');
      await clickAndWait(page, 'form[action="/admin/api-keys"] button[type="submit"]');
      expect(await textOf(page, '#scopes-error')).toBe(
        'Error: Choose at least one thing the key may do.',
      );
      expect(await page.$eval('#field-name', (el) => (el as HTMLInputElement).value)).toBe(
        'Practice EHR',
      );
      await expectAccessible(page, 'API keys page, refused');

      await page.click('input[name="scopes"][value="patients:read"]');
      await page.click('input[name="scopes"][value="intakes:read"]');
      await clickAndWait(page, 'form[action="/admin/api-keys"] button[type="submit"]');
      const key = await page.$eval('#new-key', (el) => (el as HTMLInputElement).value);
      expect(key).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
      expect(await textOf(page, 'table.table tbody tr')).toContain('patients:read, intakes:read');
      await expectAccessible(page, 'API keys page, key shown');
      await page.screenshot({ path: '/tmp/api-keys-page.png', fullPage: true });

      const ok = await fetch(`${t.baseUrl}/api/patients`, {
        headers: { Authorization: `Bearer ${key}` },
      });
      expect(ok.status).toBe(200);
      await page.reload();
      expect(await textOf(page, 'table.table tbody tr')).not.toContain('never');

      await clickAndWait(page, 'form[action$="/revoke"] button[type="submit"]');
      expect(await page.$('#new-key')).toBeNull();
      expect(await textOf(page, 'table.table tbody tr')).toContain('revoked');
      const refused = await fetch(`${t.baseUrl}/api/patients`, {
        headers: { Authorization: `Bearer ${key}` },
      });
      expect(refused.status).toBe(401);
    } finally {
      await window.context.close();
    }
  });
});
