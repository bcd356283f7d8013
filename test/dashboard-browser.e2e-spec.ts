import type { Browser as Chromium, BrowserContext, Page } from 'puppeteer-core';
import { AssessmentEntity } from '../src/assessments/assessment.entity';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import { submitIntake } from './support/intake-flow';
import { readPdf } from './support/pdf';
import {
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

interface StoredPoint {
  ruleId: string;
  kind: string;
  summary: string;
  patientText: string;
}

/** The id the review page gives a point's article (see intake-review-view.ts). */
const anchorOf = (ruleId: string): string => `point-${ruleId.replace(/[^\w-]/g, '-')}`;

describe("a clinician's whole journey on the dashboard in real Chromium", () => {
  let t: TestApp;
  let chromium: Chromium;
  let user: TestUser;
  let rae: PatientEntity;
  let sam: PatientEntity;
  let intake: IntakeEntity;
  let assessment: AssessmentEntity;
  let samIntake: IntakeEntity;
  let samAssessment: AssessmentEntity;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Journey Clinic');
    user = await createUser(t.dataSource, clinic, { email: 'doc@journey.test' });
    rae = await createPatient(t.dataSource, user, {
      givenName: 'Rae',
      familyName: 'Journey',
      reference: 'J-1',
    });
    // Found by the search, but never invited: the "Submitted" filter leaves her out.
    await createPatient(t.dataSource, user, { givenName: 'Rae', familyName: 'Other' });
    // Submitted, but not found by the search.
    sam = await createPatient(t.dataSource, user, { givenName: 'Sam', familyName: 'Submitted' });
    const clinician = await signIn(t.server, user);
    ({ intake, assessment } = await submitIntake(t.server, t.dataSource, clinician, rae));
    ({ intake: samIntake, assessment: samAssessment } = await submitIntake(
      t.server,
      t.dataSource,
      clinician,
      sam,
    ));
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
  });

  const concernsOf = (of: AssessmentEntity): StoredPoint[] =>
    (of.results as { points: StoredPoint[] }).points.filter((point) => point.kind === 'concern');

  const newPage = (javascript: boolean) =>
    openPage(chromium, { javascript, width: 1280, height: 900 });
  const follow = clickAndWait;

  const pathOf = (page: Page): string => new URL(page.url()).pathname;
  const textOf = (page: Page, selector: string): Promise<string> =>
    page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
  const listedNames = (page: Page): Promise<string[]> =>
    page.$$eval('table.patient-list tbody .table__title', (cells) =>
      cells.map((cell) => cell.textContent?.trim() ?? ''),
    );

  async function signInThroughForm(page: Page): Promise<void> {
    await page.type('#field-email', user.email);
    await page.type('#field-password', user.password);
    await follow(page, 'form[action="/sign-in"] button[type="submit"]');
    expect(pathOf(page)).toBe('/');
  }

  /** Fetches a link of the page as the browser would: with the session cookie it holds. */
  async function download(
    context: BrowserContext,
    href: string,
  ): Promise<{
    status: number;
    type: string | null;
    location: string | null;
    filename: string | undefined;
    body: Buffer;
  }> {
    const cookies = await context.cookies();
    const response = await fetch(href, {
      headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
      redirect: 'manual',
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      location: response.headers.get('location'),
      filename: /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1],
      body: Buffer.from(await response.arrayBuffer()),
    };
  }

  it('signs in, finds the patient, marks points, downloads both handouts, completes the review and signs out', async () => {
    const { context, page } = await newPage(true);
    try {
      // 1. Signed out, the list sends the clinician to sign in.
      await page.goto(`${t.baseUrl}/`);
      expect(pathOf(page)).toBe('/sign-in');
      await expectAccessible(page, 'sign-in');
      await signInThroughForm(page);
      expect(await listedNames(page)).toEqual(['Journey, Rae', 'Other, Rae', 'Submitted, Sam']);
      await expectAccessible(page, 'patient list');

      // 2. Search by name with a filter that matches nobody: the empty state.
      await page.type('#patient-search', 'Rae');
      await page.select('#filter-status', 'reviewed');
      await follow(page, 'form.filters button[type="submit"]');
      expect(await page.$('table.patient-list')).toBeNull();
      expect(await textOf(page, '.empty')).toBe('No patient matches these filters.');
      await expectAccessible(page, 'patient list, filtered to nobody');

      // The search box keeps "Rae"; Intake = Submitted leaves only the patient.
      expect(await page.$eval('#patient-search', (el) => (el as HTMLInputElement).value)).toBe(
        'Rae',
      );
      await page.select('#filter-status', 'submitted');
      await follow(page, 'form.filters button[type="submit"]');
      const filtered = new URL(page.url());
      expect(filtered.searchParams.get('q')).toBe('Rae');
      expect(filtered.searchParams.get('status')).toBe('submitted');
      expect(await listedNames(page)).toEqual(['Journey, Rae']);
      expect(await textOf(page, 'table.patient-list tbody tr')).toContain('Submitted');
      await expectAccessible(page, 'patient list, searched and filtered');
      await follow(page, `table.patient-list a[href="/patients/${rae.id}"]`);

      // 3. The patient page, then the intake's review page.
      expect(pathOf(page)).toBe(`/patients/${rae.id}`);
      expect(await textOf(page, 'h1')).toBe('Journey, Rae');
      expect(await textOf(page, '#latest-title')).toMatch(/^Latest intake, submitted \d{4}-/);
      await expectAccessible(page, 'patient page');
      await follow(page, 'a.button::-p-text(Review points and answers)');
      expect(pathOf(page)).toBe(`/intakes/${intake.id}`);
      expect(await textOf(page, 'h1')).toBe('Intake of Rae Journey');
      await expectAccessible(page, 'intake review');

      // 4. One point "Discussed" with a note.
      const [first, second] = concernsOf(assessment);
      const firstAt = `#${anchorOf(first.ruleId)}`;
      await page.click(`${firstAt} details.point__form summary`);
      await page.click(`${firstAt} input[name="mark"][value="discussed"]`);
      await page.type(`[id="field-note-${first.ruleId}"]`, 'Talked through a wind-down routine');
      await follow(page, `${firstAt} button[type="submit"]`);
      expect(pathOf(page)).toBe(`/intakes/${intake.id}`);
      expect(new URL(page.url()).hash).toBe(firstAt);
      const firstReview = await textOf(page, `${firstAt} .point__review`);
      expect(firstReview).toContain('Discussed');
      // In the clinic's time zone, which the footer names.
      expect(firstReview).toMatch(/by User doc@journey\.test, \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      expect(await textOf(page, '.site-footer')).toContain('Dates and times are shown in');
      expect(await textOf(page, `${firstAt} .point__note`)).toBe(
        'Note: Talked through a wind-down routine',
      );

      // Another "Not relevant" without a reason: refused, next to the field, the note kept.
      const secondAt = `#${anchorOf(second.ruleId)}`;
      await page.click(`${secondAt} details.point__form summary`);
      await page.click(`${secondAt} input[name="mark"][value="not_relevant"]`);
      await page.type(`[id="field-note-${second.ruleId}"]`, 'Asked about night shifts');
      await follow(page, `${secondAt} button[type="submit"]`);
      expect(pathOf(page)).toBe(`/assessments/${assessment.id}/points/${second.ruleId}`);
      // The browser lands on the point's error summary, which takes the focus.
      expect(new URL(page.url()).hash).toBe(`${secondAt}-problems`);
      expect(
        await page.$eval(`${secondAt} details.point__form`, (d) => d.hasAttribute('open')),
      ).toBe(true);
      const reason = `[id="field-reason-${second.ruleId}"]`;
      expect(await textOf(page, `[id="error-reason-${second.ruleId}"]`)).toContain(
        'Say why this point is not relevant.',
      );
      expect(await page.$eval(reason, (el) => el.getAttribute('aria-describedby'))).toBe(
        `error-reason-${second.ruleId}`,
      );
      expect(await page.$eval(reason, (el) => el.getAttribute('aria-invalid'))).toBe('true');
      expect(await page.$eval(`${secondAt} .error-summary a`, (a) => a.getAttribute('href'))).toBe(
        `#field-reason-${second.ruleId}`,
      );
      expect(
        await page.$eval(
          `[id="field-note-${second.ruleId}"]`,
          (el) => (el as HTMLTextAreaElement).value,
        ),
      ).toBe('Asked about night shifts');
      expect(await page.$eval(`${secondAt} input[value="not_relevant"]`, (el) => el.checked)).toBe(
        true,
      );
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(
        `${anchorOf(second.ruleId)}-problems`,
      );
      expect(await page.$(`${firstAt} .point__review`)).not.toBeNull(); // the first mark stays
      await expectAccessible(page, 'intake review with a refused mark');

      await page.type(reason, 'Followed by the sleep clinic');
      await follow(page, `${secondAt} button[type="submit"]`);
      expect(pathOf(page)).toBe(`/intakes/${intake.id}`);
      const secondReview = await textOf(page, `${secondAt} .point__review`);
      expect(secondReview).toContain('Not relevant');
      expect(secondReview).toContain('Reason: Followed by the sleep clinic');
      expect(secondReview).toMatch(/by User doc@journey\.test, \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      expect(await textOf(page, `${secondAt} .point__note`)).toBe('Note: Asked about night shifts');
      expect(await page.$(`[id="error-reason-${second.ruleId}"]`)).toBeNull();
      expect(await textOf(page, '.review-bar p')).toMatch(/^2 of \d+ discussion points marked\./);
      await expectAccessible(page, 'intake review with two marks');

      // 5. Both handouts on A4, fetched from the page's links with the browser's session.
      const clinicianHref = await page.$eval(
        '.handout-links a[href$="/handouts/clinician?paper=a4"]',
        (a) => a.href,
      );
      const patientHref = await page.$eval(
        '.handout-links a[href$="/handouts/patient?paper=a4"]',
        (a) => a.href,
      );
      const guide = await download(context, clinicianHref);
      const notes = await download(context, patientHref);
      for (const pdf of [guide, notes]) {
        expect(pdf.status).toBe(200);
        expect(pdf.type).toBe('application/pdf');
        expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      }
      const guideText = readPdf(guide.body);
      expect(guideText.pageSize).toContain('(A4)');
      expect(guideText.text).toContain('Rae Journey');
      expect(guideText.text).toContain(first.summary.slice(0, 40));
      const notesText = readPdf(notes.body);
      expect(notesText.pageSize).toContain('(A4)');
      expect(notesText.text).toContain('Rae Journey');
      expect(notesText.text).toContain(first.patientText.slice(0, 40));
      // The point marked "not relevant" is gone from the patient's notes; the guide sets it apart.
      expect(notesText.text).not.toContain(second.patientText.slice(0, 40));
      expect(guideText.text).toContain('Marked not relevant by the clinician');
      expect(guide.filename).toMatch(/^discussion-guide-\d{4}-\d{2}-\d{2}-a4-[0-9a-f]{8}\.pdf$/);
      expect(notes.filename).toMatch(/^patient-notes-\d{4}-\d{2}-\d{2}-a4-[0-9a-f]{8}\.pdf$/);

      // 6. Complete the review with points unmarked: asked first, with the count; then the
      // list's "Reviewed" filter shows the patient.
      await follow(page, `form[action="/intakes/${intake.id}/review"] button[type="submit"]`);
      expect(pathOf(page)).toBe(`/intakes/${intake.id}`);
      expect(await textOf(page, '.review-bar')).toMatch(
        /Complete the review with \d+ points? unmarked\?/,
      );
      await expectAccessible(page, 'intake review, asked to confirm');
      await page.reload(); // asking again changes nothing
      await follow(page, `.review-bar form button[type="submit"]`);
      expect(pathOf(page)).toBe(`/intakes/${intake.id}`);
      expect(await textOf(page, '.review-bar')).toContain('Review completed');
      expect(await textOf(page, '.review-bar')).toMatch(/^2 of \d+ discussion points marked\./);
      expect(await page.$(`form[action="/intakes/${intake.id}/review"]`)).toBeNull();
      await expectAccessible(page, 'intake review, completed');
      await follow(page, 'nav a[href="/"]');
      await page.select('#filter-status', 'reviewed');
      await follow(page, 'form.filters button[type="submit"]');
      expect(new URL(page.url()).searchParams.get('status')).toBe('reviewed');
      expect(await listedNames(page)).toEqual(['Journey, Rae']);
      expect(await textOf(page, 'table.patient-list tbody tr')).toContain('Reviewed');
      await expectAccessible(page, 'patient list, reviewed');

      // The knowledge page, from the navigation.
      await follow(page, 'nav a[href="/knowledge"]');
      expect(await page.title()).toBe('Knowledge base · Lifestyle intake');
      await expectAccessible(page, 'knowledge page');

      // A new invitation link: shown once, with a copy button (script on) and a QR code.
      await page.goto(`${t.baseUrl}/patients/${rae.id}`);
      await page.select('#field-protocol', 'female_hormone_therapy');
      await follow(page, 'form[action$="/invitations"] button[type="submit"]');
      expect(await textOf(page, '.notice h2')).toBe('Invitation link for Female hormone therapy');
      expect(await page.$eval('#new-link', (el) => (el as HTMLInputElement).value)).toMatch(
        /\/i\/[A-Za-z0-9_-]{43}$/,
      );
      expect(await page.$eval('[data-copy-button]', (el) => (el as HTMLElement).hidden)).toBe(
        false,
      );
      await page.click('.qr summary');
      expect(await page.$eval('.qr', (d) => d.hasAttribute('open'))).toBe(true);
      expect(await page.$eval('.qr__code svg', (svg) => svg.getBoundingClientRect().width)).toBe(
        200,
      );
      await expectAccessible(page, 'patient page with a new link and its QR code');

      // 7. Sign out: the list sends to sign-in again, and the old cookie downloads nothing.
      await follow(page, 'form[action="/sign-out"] button[type="submit"]');
      expect(pathOf(page)).toBe('/sign-in');
      await page.goto(`${t.baseUrl}/`);
      expect(pathOf(page)).toBe('/sign-in');
      const signedOut = await download(context, clinicianHref);
      expect(signedOut.status).toBe(303);
      expect(signedOut.location).toBe('/sign-in');
      expect(signedOut.type).not.toBe('application/pdf');
    } finally {
      await context.close();
    }
  });

  it('works without JavaScript: a new link with its QR code, and a refused mark shown at its point', async () => {
    const { context, page } = await newPage(false);
    try {
      await page.goto(`${t.baseUrl}/sign-in`);
      await signInThroughForm(page);

      await page.goto(`${t.baseUrl}/patients/${sam.id}`);
      await page.select('#field-protocol', 'trt');
      await follow(page, 'form[action$="/invitations"] button[type="submit"]');
      expect(await page.$eval('#new-link', (el) => (el as HTMLInputElement).value)).toMatch(
        /\/i\/[A-Za-z0-9_-]{43}$/,
      );
      // No script, no copy button: the link is selectable text instead.
      expect(await page.$eval('[data-copy-button]', (el) => (el as HTMLElement).hidden)).toBe(true);
      await page.click('.qr summary'); // <details> opens without script
      expect(await page.$eval('.qr', (d) => d.hasAttribute('open'))).toBe(true);
      await expectAccessible(page, 'patient page with a new link, JavaScript off');

      const [point] = concernsOf(samAssessment);
      const at = `#${anchorOf(point.ruleId)}`;
      await page.goto(`${t.baseUrl}/intakes/${samIntake.id}`);
      await page.click(`${at} details.point__form summary`);
      await page.click(`${at} input[name="mark"][value="not_relevant"]`);
      await page.type(`[id="field-note-${point.ruleId}"]`, 'Asked about shifts');
      await follow(page, `${at} button[type="submit"]`);
      expect(await textOf(page, `[id="error-reason-${point.ruleId}"]`)).toContain(
        'Say why this point is not relevant.',
      );
      // Without script, the address's fragment scrolls to the error summary and focuses it.
      expect(new URL(page.url()).hash).toBe(`${at}-problems`);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(
        `${anchorOf(point.ruleId)}-problems`,
      );
      const top = await page.$eval(`${at}-problems`, (el) => el.getBoundingClientRect().top);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThan(100);
      await expectAccessible(page, 'intake review with a refused mark, JavaScript off');
    } finally {
      await context.close();
    }
  });
});
