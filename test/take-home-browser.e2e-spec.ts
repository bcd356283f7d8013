import type { Browser as Chromium, Page } from 'puppeteer-core';
import { AssessmentEntity } from '../src/assessments/assessment.entity';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { TYPICAL_ANSWERS } from './support/intake-flow';
import { PatientLink, PatientSession, startPatientSession } from './support/patient-link';
import { expectAccessible, launchChromium, openPage } from './support/chromium';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

interface StoredPoint {
  ruleId: string;
  kind: 'concern' | 'strength';
  patientText: string;
}

const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

describe("the take-home notes in real Chromium, at a phone's width", () => {
  let t: TestApp;
  let chromium: Chromium;
  let clinician: Browser;
  let link: PatientLink;
  let intake: IntakeEntity;
  let kept: StoredPoint;
  let excluded: StoredPoint;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Phone Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@phone.test' });
    const patient = await createPatient(t.dataSource, user);
    clinician = await signIn(t.server, user);
    const session: PatientSession = await startPatientSession(t.server, clinician, patient);
    link = session.invitation;
    const saved = await session.client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', session.token)
      .send(TYPICAL_ANSWERS);
    const sent = await session.client.agent
      .post('/api/intake/submit')
      .set('X-CSRF-Token', session.token);
    if (saved.status !== 200 || sent.status !== 201) throw new Error('Setup: sending failed');
    intake = await t.dataSource
      .getRepository(IntakeEntity)
      .findOneByOrFail({ invitationId: link.id });
    const assessment = await t.dataSource
      .getRepository(AssessmentEntity)
      .findOneByOrFail({ intakeId: intake.id });
    const concerns = (assessment.results as { points: StoredPoint[] }).points.filter(
      (point) => point.kind === 'concern',
    );
    [kept, excluded] = concerns;
    const marked = await clinician.postForm(
      `/assessments/${assessment.id}/points/${excluded.ruleId}`,
      { mark: 'not_relevant', reason: 'Not for now' },
    );
    if (marked.status !== 303) throw new Error(`Setup: marking gave ${marked.status}`);
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
  });

  /** Opens the patient's link in a fresh phone-sized browser, as the patient would. */
  async function openLink(javascript: boolean): Promise<Page> {
    const { page } = await openPage(chromium, { javascript, width: 390, height: 844 });
    await page.goto(`${t.baseUrl}${new URL(link.link).pathname}`);
    expect(new URL(page.url()).pathname).toBe('/intake/thank-you');
    return page;
  }
  const mainText = async (page: Page) =>
    squeeze(await page.$eval('main', (main) => main.innerText));
  const fitsWidth = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('before the review: thanks and "after your visit", accessible, no notes', async () => {
    const page = await openLink(false);
    const text = await mainText(page);
    expect(text).toContain('Your notes will appear here after your visit');
    expect(text).not.toContain(squeeze(kept.patientText));
    expect(await fitsWidth(page)).toBe(true);
    await expectAccessible(page, 'take-home, before the review');
    await page.screenshot({ path: '/tmp/takehome-before-390.png', fullPage: true });
  });

  for (const javascript of [false, true]) {
    it(`after the review, JavaScript ${javascript ? 'on' : 'off'}: the notes, accessible, fitting the phone, with the PDF`, async () => {
      const completed = await clinician.postForm(`/intakes/${intake.id}/review`, {
        confirm: 'yes',
      });
      expect(completed.status).toBe(303);
      const page = await openLink(javascript);
      const text = await mainText(page);
      expect(await page.$eval('h1', (h1) => h1.textContent)).toBe('Your lifestyle notes');
      expect(text).toContain(squeeze(kept.patientText));
      expect(text).not.toContain(squeeze(excluded.patientText));
      expect(text).toContain('Where these ideas come from');
      expect(await fitsWidth(page)).toBe(true);
      await expectAccessible(page, `take-home notes, JavaScript ${javascript ? 'on' : 'off'}`);
      await page.screenshot({
        path: `/tmp/takehome-notes-390-${javascript ? 'js' : 'nojs'}.png`,
        fullPage: true,
      });

      // The download link answers with the PDF through the page's own session cookie.
      const href = await page.$eval('a[href*="paper=letter"]', (a) => a.href);
      const pdf = await page.evaluate(async (url) => {
        const response = await fetch(url, { credentials: 'same-origin' });
        return { status: response.status, type: response.headers.get('content-type') };
      }, href);
      expect(pdf).toEqual({ status: 200, type: 'application/pdf' });
    });
  }
});
