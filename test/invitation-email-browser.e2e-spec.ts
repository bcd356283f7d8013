import type { Browser as Chromium, Page } from 'puppeteer-core';
import { PatientEntity } from '../src/patients/patient.entity';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import { MailServer } from './support/mail-server';
import {
  createClinic,
  createPatient,
  createUser,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

/*
 * In real Chromium: the clinician emails the link from the patient page,
 * the patient opens the link parsed from the email that arrived, reads the
 * "continue" page (axe), continues and reaches the privacy notice. The
 * email's HTML is rendered too and saved as /tmp/email-*.png for a person
 * to look at (not committed).
 */
describe('an emailed invitation link, in real Chromium', () => {
  let mail: MailServer;
  let t: TestApp;
  let chromium: Chromium;
  let patient: PatientEntity;
  let user: TestUser;

  beforeAll(async () => {
    mail = await MailServer.start();
    t = await startTestApp(
      { SMTP_URL: mail.url, MAIL_FROM: 'no-reply@clinic.example' },
      { listen: true },
    );
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Browser Mail Clinic');
    user = await createUser(t.dataSource, clinic, { email: 'doc@mail-browser.test' });
    patient = await createPatient(t.dataSource, user, { givenName: 'Nia', familyName: 'Mailer' });
    await t.dataSource
      .getRepository(PatientEntity)
      .update(patient.id, { email: 'nia.mailer@example.org' });
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
    await mail.close();
  });

  const textOf = (page: Page, selector: string): Promise<string> =>
    page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());

  it('the clinician sends, the patient continues from the email to the privacy notice', async () => {
    const clinicianWindow = await openPage(chromium, {
      javascript: true,
      width: 1280,
      height: 900,
    });
    const patientWindow = await openPage(chromium, { javascript: true, width: 390, height: 844 });
    try {
      const page = clinicianWindow.page;
      await page.goto(`${t.baseUrl}/sign-in`);
      await page.type('#field-email', user.email);
      await page.type('#field-password', user.password);
      await clickAndWait(page, 'form[action="/sign-in"] button[type="submit"]');
      await page.goto(`${t.baseUrl}/patients/${patient.id}`);
      const before = mail.messages.length;
      await clickAndWait(page, 'button[name="send"][value="email"]');
      expect(await textOf(page, '#new-link-email')).toMatch(
        /^Emailed .+ to the patient's email address\.$/,
      );
      await expectAccessible(page, 'patient page, link emailed');

      const message = await mail.nextAfter(before);
      const html = message.html as string;
      const link = /href="([^"]+\/e\/[^"]+)"/.exec(html)?.[1];
      expect(link).toBeDefined();

      // The email as a mail program would show it, at a phone's width and a desktop's.
      const shown = await openPage(chromium, { javascript: false, width: 390, height: 700 });
      try {
        await shown.page.setContent(html);
        await shown.page.screenshot({ path: '/tmp/email-invitation-phone.png', fullPage: true });
        await shown.page.setViewport({ width: 1024, height: 700 });
        await shown.page.screenshot({ path: '/tmp/email-invitation-desktop.png', fullPage: true });
      } finally {
        await shown.context.close();
      }

      const phone = patientWindow.page;
      await phone.goto(link!);
      expect(await textOf(phone, 'h1')).toBe('Continue to your questionnaire');
      await expectAccessible(phone, 'continue page of an emailed link');
      await phone.screenshot({ path: '/tmp/email-continue-page.png', fullPage: true });
      const cookies = await patientWindow.context.cookies();
      expect(cookies.filter((cookie) => cookie.name.endsWith('hp_intake'))).toEqual([]);

      await clickAndWait(phone, 'form button[type="submit"]');
      expect(new URL(phone.url()).pathname).toBe('/intake/consent');
    } finally {
      await clinicianWindow.context.close();
      await patientWindow.context.close();
    }
  });
});
