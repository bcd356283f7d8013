import type { Browser as Chromium, Page } from 'puppeteer-core';
import { InvitationOutbox } from '../src/invitations/invitation-outbox';
import { PatientEntity } from '../src/patients/patient.entity';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import { TYPICAL_ANSWERS } from './support/intake-flow';
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
 * "continue" page (axe), continues and reaches the privacy notice; a
 * reminder comes, and the patient stops the reminders from its link on a
 * phone without scripts; an admin sets the schedule. The emails' HTML is
 * rendered too and saved as /tmp/email-*.png for a person to look at (not
 * committed).
 */
describe('an emailed invitation link, in real Chromium', () => {
  let mail: MailServer;
  let t: TestApp;
  let chromium: Chromium;
  let patient: PatientEntity;
  let user: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    mail = await MailServer.start();
    t = await startTestApp(
      { SMTP_URL: mail.url, MAIL_FROM: 'no-reply@clinic.example' },
      { listen: true },
    );
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Browser Mail Clinic');
    user = await createUser(t.dataSource, clinic, { email: 'doc@mail-browser.test' });
    admin = await createUser(t.dataSource, clinic, {
      email: 'admin@mail-browser.test',
      role: 'admin',
    });
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

  async function signedIn(who: TestUser, width = 1280) {
    const window = await openPage(chromium, { javascript: true, width, height: 900 });
    await window.page.goto(`${t.baseUrl}/sign-in`);
    await window.page.type('#field-email', who.email);
    await window.page.type('#field-password', who.password);
    await clickAndWait(window.page, 'form[action="/sign-in"] button[type="submit"]');
    return window;
  }

  async function screenshotEmail(html: string, name: string): Promise<void> {
    const shown = await openPage(chromium, { javascript: false, width: 390, height: 700 });
    try {
      await shown.page.setContent(html);
      await shown.page.screenshot({ path: `/tmp/email-${name}-phone.png`, fullPage: true });
    } finally {
      await shown.context.close();
    }
  }

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

  it('a reminder comes; the patient stops them from its link on a phone without scripts, and the clinician sees it', async () => {
    const [{ id }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM deliveries WHERE kind = 'reminder' AND sequence = 1 AND status = 'pending'`,
    );
    // Its day has come (the schedule itself is tested in test/reminders.e2e-spec.ts).
    await t.dataSource.query(`UPDATE deliveries SET next_attempt_at = now() WHERE id = $1`, [id]);
    const before = mail.messages.length;
    await t.app.get(InvitationOutbox).sendDue();
    const reminder = await mail.nextAfter(before);
    expect(reminder.subject).toBe('Reminder: your questionnaire link');
    await screenshotEmail(reminder.html as string, 'reminder');
    const stop = /href="([^"]+\/e\/[^"]+\/stop)"/.exec(reminder.html as string)?.[1];
    expect(stop).toBeDefined();

    const phone = await openPage(chromium, { javascript: false, width: 390, height: 844 });
    try {
      await phone.page.goto(stop!);
      expect(await textOf(phone.page, 'h1')).toBe('Stop reminder emails?');
      await expectAccessible(phone.page, 'stop reminders page');
      await clickAndWait(phone.page, 'form button[type="submit"]');
      expect(new URL(phone.page.url()).pathname).toBe('/reminders-stopped');
      expect(await textOf(phone.page, '[role="status"]')).toBe(
        'You will get no more reminders about this questionnaire.',
      );
      await expectAccessible(phone.page, 'reminders stopped page');
      await phone.page.screenshot({ path: '/tmp/reminders-stopped-phone.png', fullPage: true });
    } finally {
      await phone.context.close();
    }

    const clinician = await signedIn(user);
    try {
      await clinician.page.goto(`${t.baseUrl}/patients/${patient.id}`);
      const lines = await clinician.page.$$eval('[data-email-line]', (els) =>
        els.map((el) => el.textContent ?? ''),
      );
      expect(lines.join(' | ')).toMatch(
        /Emailed .* \| Reminders stopped by the patient .* \| Reminders: .*: emailed /,
      );
      await expectAccessible(clinician.page, 'patient page with reminders');
      await clinician.page.screenshot({ path: '/tmp/patient-page-reminders.png', fullPage: true });
    } finally {
      await clinician.context.close();
    }
  });

  it('an admin sets the reminder days; a day past the expiry is refused at the field, as typed', async () => {
    const window = await signedIn(admin);
    try {
      const page = window.page;
      await page.goto(`${t.baseUrl}/admin/clinic`);
      expect(await page.$eval('#field-reminderDays', (el) => (el as HTMLInputElement).value)).toBe(
        '3, 7',
      );
      await page.$eval('#field-reminderDays', (el) => ((el as HTMLInputElement).value = ''));
      await page.type('#field-reminderDays', '2, 30');
      await clickAndWait(page, 'form[action="/admin/clinic/reminders"] button[type="submit"]');
      expect(await textOf(page, '#reminderDays-error')).toBe(
        'Error: Links work for 14 days: give days from 1 to 13 (30 is not).',
      );
      expect(await page.$eval('#field-reminderDays', (el) => (el as HTMLInputElement).value)).toBe(
        '2, 30',
      );
      await expectAccessible(page, 'clinic settings, reminder days refused');
      await page.$eval('#field-reminderDays', (el) => ((el as HTMLInputElement).value = ''));
      await page.type('#field-reminderDays', '2, 9');
      await clickAndWait(page, 'form[action="/admin/clinic/reminders"] button[type="submit"]');
      expect(await textOf(page, '#reminders-title + [role="status"]')).toContain(
        'reminded 2 and 9 days after the email',
      );
      await expectAccessible(page, 'clinic settings, reminder days saved');
    } finally {
      await window.context.close();
    }
  });

  it('one emailed link from start to take-home: the patient declines, then agrees, answers and sends; after the review the same link shows the notes', async () => {
    const ola = await createPatient(t.dataSource, user, { givenName: 'Ola', familyName: 'Lind' });
    await t.dataSource
      .getRepository(PatientEntity)
      .update(ola.id, { email: 'ola.lind@example.org' });
    const clinician = await signedIn(user);
    const phone = await openPage(chromium, { javascript: true, width: 390, height: 844 });
    try {
      await clinician.page.goto(`${t.baseUrl}/patients/${ola.id}`);
      const before = mail.messages.length;
      await clickAndWait(clinician.page, 'button[name="send"][value="email"]');
      const link = /href="([^"]+\/e\/[A-Za-z0-9_-]{43})"/.exec(
        (await mail.nextAfter(before)).html as string,
      )?.[1];
      expect(link).toBeDefined();

      const page = phone.page;
      await page.goto(link!);
      await clickAndWait(page, 'form button[type="submit"]');
      await clickAndWait(page, 'button[name="decision"][value="refuse"]');
      expect(await textOf(page, 'h1')).toBe('You did not agree');
      await expectAccessible(page, 'declined page from an emailed link');
      await clickAndWait(page, 'a[href="/intake/consent"]');
      await clickAndWait(page, 'button[name="decision"][value="agree"]');
      expect(new URL(page.url()).pathname).toBe('/intake/context');

      // The answers, saved by the browser through the patient's own session, then checked and sent.
      const token = await page.$eval('input[name="_csrf"]', (el) => el.value);
      const saved = await page.evaluate(
        async (csrf, answers) =>
          (
            await fetch('/api/intake/answers', {
              method: 'PUT',
              headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
              body: JSON.stringify(answers),
            })
          ).status,
        token,
        TYPICAL_ANSWERS,
      );
      expect(saved).toBe(200);
      // On the emailed link's host (PUBLIC_URL), where the patient's cookie is.
      await page.goto(new URL('/intake/review', page.url()).href);
      await clickAndWait(page, 'form[action="/intake/submit"] button[type="submit"]');
      expect(await textOf(page, 'h1')).toBe('Thank you');

      // The clinician completes the review with every point unmarked, confirming it.
      await clinician.page.goto(`${t.baseUrl}/patients/${ola.id}`);
      await clickAndWait(clinician.page, 'a[href^="/intakes/"]');
      await clickAndWait(clinician.page, '#complete form button[type="submit"]');
      await clickAndWait(clinician.page, '#complete form button[type="submit"]');
      expect(await textOf(clinician.page, '#complete')).toContain('Review completed');

      // The same emailed link, opened again later, shows the take-home notes.
      const later = await openPage(chromium, { javascript: false, width: 390, height: 844 });
      try {
        await later.page.goto(link!);
        await clickAndWait(later.page, 'form button[type="submit"]');
        expect(new URL(later.page.url()).pathname).toBe('/intake/thank-you');
        expect(await textOf(later.page, '#notes-points')).toBe(
          'Things you talked about with your clinician',
        );
        await expectAccessible(later.page, 'take-home notes from the emailed link');
        await later.page.screenshot({ path: '/tmp/email-take-home-phone.png', fullPage: true });
      } finally {
        await later.context.close();
      }
    } finally {
      await phone.context.close();
      await clinician.context.close();
    }
  });
});
