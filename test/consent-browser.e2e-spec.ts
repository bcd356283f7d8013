import type { Browser as Chromium } from 'puppeteer-core';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import { invite } from './support/patient-link';
import {
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

describe('the privacy notice before the first question, in real Chromium on a phone', () => {
  let t: TestApp;
  let chromium: Chromium;
  const links: { path: string; id: string }[] = [];
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Lighthouse Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@lighthouse.test' });
    admin = await createUser(t.dataSource, clinic, {
      email: 'admin@lighthouse.test',
      role: 'admin',
    });
    const clinician = await signIn(t.server, user);
    for (const name of ['Scripts', 'NoScripts']) {
      const patient = await createPatient(t.dataSource, user, { familyName: name });
      const made = await invite(clinician, patient);
      links.push({ path: new URL(made.link).pathname, id: made.id });
    }
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
  });

  const intakeOf = (invitationId: string) =>
    t.dataSource.getRepository(IntakeEntity).findOneByOrFail({ invitationId });

  it.each([
    [true, 0],
    [false, 1],
  ])(
    'with JavaScript %s: reads the notice, does not agree, comes back and agrees',
    async (javascript, which) => {
      const link = links[which];
      const where = `JavaScript ${javascript ? 'on' : 'off'}`;
      const { context, page } = await openPage(chromium, { javascript, width: 360, height: 780 });
      try {
        await page.goto(`${t.baseUrl}${link.path}`);
        expect(new URL(page.url()).pathname).toBe('/intake/consent');
        expect(await page.$eval('h1', (h) => h.textContent)).toBe('Before you start');
        expect(await page.$eval('.consent-notice h2', (h) => h.textContent)).toBe(
          'Privacy notice from Lighthouse Clinic',
        );
        // Both answers fit the phone's width, without scrolling sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          360,
        );
        await expectAccessible(page, `privacy notice, ${where}`);

        await Promise.all([page.waitForNavigation(), page.click('button[value="refuse"]')]);
        expect(new URL(page.url()).pathname).toBe('/intake/declined');
        expect(await page.$eval('main', (m) => m.textContent)).toContain('Nothing was saved');
        expect(await page.$eval('main', (m) => m.textContent)).toContain('Lighthouse Clinic');
        await expectAccessible(page, `did not agree, ${where}`);
        expect((await intakeOf(link.id)).consentedAt).toBeNull();

        // Changed their mind: the same link again.
        await page.goto(`${t.baseUrl}${link.path}`);
        expect(new URL(page.url()).pathname).toBe('/intake/consent');
        await page.focus('button[value="agree"]');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        expect(new URL(page.url()).pathname).toBe('/intake/context');
        expect((await intakeOf(link.id)).consentedAt).not.toBeNull();
      } finally {
        await context.close();
      }
    },
  );

  it('an admin edits the notice on Clinic settings: a blank one is refused, a new version saved', async () => {
    const { context, page } = await openPage(chromium, {
      javascript: false,
      width: 1280,
      height: 900,
    });
    try {
      await page.goto(`${t.baseUrl}/sign-in`);
      await page.type('#field-email', admin.email);
      await page.type('#field-password', admin.password);
      await clickAndWait(page, 'form[action="/sign-in"] button[type="submit"]');
      await page.goto(`${t.baseUrl}/admin/clinic`);
      await expectAccessible(page, 'clinic settings with the notice');

      await page.$eval('#field-body', (el) => {
        (el as HTMLTextAreaElement).value = '  ';
      });
      await page.type('#field-contact', 'Front desk, 555 0199');
      await clickAndWait(page, 'form[action="/admin/clinic/consent"] button[type="submit"]');
      expect(await page.$eval('.error-summary', (el) => el.textContent)).toContain(
        'Write the privacy notice.',
      );
      expect(await page.$eval('#field-contact', (el) => (el as HTMLInputElement).value)).toBe(
        'Front desk, 555 0199',
      );
      await expectAccessible(page, 'clinic settings, notice refused');

      await page.type('#field-body', 'Lighthouse Clinic keeps your answers for your visits.');
      await clickAndWait(page, 'form[action="/admin/clinic/consent"] button[type="submit"]');
      expect(await page.$eval('[role="status"]', (el) => el.textContent)).toContain(
        'Saved as version 2.',
      );
    } finally {
      await context.close();
    }
  });
});
