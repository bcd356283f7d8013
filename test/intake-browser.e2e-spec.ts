import type { Browser as Chromium, Page } from 'puppeteer-core';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { expectAccessible, launchChromium, openPage } from './support/chromium';
import {
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

const STEPS = ['context', 'diet', 'exercise', 'sleep', 'stress'] as const;

describe('a patient completes the intake in real Chromium', () => {
  let t: TestApp;
  let chromium: Chromium;
  let linkPath: string;
  let secondLinkPath: string;
  let invitationId: string;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Browser Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@browser.test' });
    const patient = await createPatient(t.dataSource, user);
    const clinician = await signIn(t.server, user);
    const made = await clinician.agent
      .post(`/api/patients/${patient.id}/invitations`)
      .set('X-CSRF-Token', await clinician.csrf())
      .send({ protocol: 'gh_peptide_therapy', replace: true });
    linkPath = new URL(made.body.link as string).pathname;
    invitationId = made.body.id as string;
    const second = await clinician.agent
      .post(`/api/patients/${patient.id}/invitations`)
      .set('X-CSRF-Token', await clinician.csrf())
      .send({ protocol: 'trt', replace: true });
    secondLinkPath = new URL(second.body.link as string).pathname;
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
  });

  const newPage = (javascript: boolean) =>
    openPage(chromium, { javascript, width: 360, height: 780 });

  async function saveAndContinue(page: Page): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click('button[value="next"]')]);
  }

  const intake = () => t.dataSource.getRepository(IntakeEntity).findOneByOrFail({ invitationId });

  it('with JavaScript: keyboard-only answers, autosave, follow-ups shown only when they apply', async () => {
    const { context, page } = await newPage(true);
    await page.goto(`${t.baseUrl}${linkPath}`);
    // The token left the address bar; the privacy notice comes before the first question.
    expect(new URL(page.url()).pathname).toBe('/intake/consent');
    await Promise.all([page.waitForNavigation(), page.click('button[value="agree"]')]);
    expect(new URL(page.url()).pathname).toBe('/intake/context');
    await expectAccessible(page, 'context, JavaScript on');

    // Keyboard only: focus the first choice of "sex", pick "Female" with the arrow key.
    await page.focus('#field-sex-0');
    await page.keyboard.press('ArrowDown');
    await page.focus('#field-ageBand-0');
    await page.keyboard.press('ArrowDown'); // 30 to 39
    await page.waitForFunction(
      () => document.querySelector('[data-save-status]')?.textContent === 'Saved',
    );
    expect((await intake()).answers).toEqual({ sex: 'female', ageBand: '30-39' });
    await page.focus('button[value="next"]');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).toBe('/intake/diet');
    await expectAccessible(page, 'diet, JavaScript on');

    // The drinking follow-ups stay hidden until the patient says they drink.
    expect(await page.$eval('#q-auditTypicalDrinks', (el) => (el as HTMLElement).hidden)).toBe(
      true,
    );
    await page.click('label[for="field-auditFrequency-2"]');
    expect(await page.$eval('#q-auditTypicalDrinks', (el) => (el as HTMLElement).hidden)).toBe(
      false,
    );
    await page.click('label[for="field-auditTypicalDrinks-1"]');
    await page.click('label[for="field-auditSixOrMore-1"]');
    await page.type('#field-oilyFishServingsPerWeek', '2');
    await page.waitForFunction(
      () => document.querySelector('[data-save-status]')?.textContent === 'Saved',
      { timeout: 5_000 },
    );
    await page.waitForFunction(
      () => document.getElementById('progress-bar')?.getAttribute('value') !== '0',
    );

    // An out-of-range number: not saved, said so at the field, and the typed text stays in it.
    // The answers typed after it are saved all the same (once, one bad value stopped the step).
    await page.type('#field-cruciferousServingsPerWeek', '40');
    await page.type('#field-vegetableFruitServingsPerDay', '4');
    await page.click('label[for="field-fermentedFoods-1"]');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-save-status]')?.textContent ===
        'Saved, except one answer marked below.',
    );
    expect(
      await page.$eval('#field-cruciferousServingsPerWeek', (el) => (el as HTMLInputElement).value),
    ).toBe('40');
    expect(
      await page.$eval('#field-cruciferousServingsPerWeek', (el) =>
        el.getAttribute('aria-invalid'),
      ),
    ).toBe('true');
    expect(
      await page.$eval('#q-cruciferousServingsPerWeek [data-live-error]', (el) => el.textContent),
    ).toBe('Not saved: enter a number from 0 to 21 (servings a week).');
    await expectAccessible(page, 'diet with one bad number, JavaScript on');
    const answers = (await intake()).answers;
    expect(answers).toMatchObject({
      auditFrequency: 2,
      oilyFishServingsPerWeek: 2,
      vegetableFruitServingsPerDay: 4,
      fermentedFoods: expect.any(String),
    });
    expect(answers).not.toHaveProperty('cruciferousServingsPerWeek');

    // The patient leaves half-way.
    await context.close();
  });

  it('without JavaScript, in a fresh browser: resumes with the same link and finishes every step', async () => {
    const { context, page } = await newPage(false);
    await page.goto(`${t.baseUrl}${linkPath}`);
    // Resumes on the step last saved, half-finished, rather than on the next one.
    expect(new URL(page.url()).pathname).toBe('/intake/diet');
    expect(await page.$eval('html', (html) => html.className)).toBe('no-js'); // the script never ran

    await page.goto(`${t.baseUrl}/intake/diet`);
    expect(
      await page.$eval('#field-oilyFishServingsPerWeek', (el) => (el as HTMLInputElement).value),
    ).toBe('2');
    expect(
      await page.$eval('#field-auditFrequency-2', (el) => (el as HTMLInputElement).checked),
    ).toBe(true);
    // Without script, the follow-up is visible with a note saying when to skip it.
    expect(await page.$eval('#skip-auditTypicalDrinks', (el) => el.textContent)).toContain(
      'Skip this if you answered “Never” above',
    );
    await expectAccessible(page, 'diet, JavaScript off');
    await saveAndContinue(page);

    // Exercise: a bad number first, then the fix.
    await expectAccessible(page, 'exercise, JavaScript off');
    expect(await page.$('#q-exerciseTimingVsPeptide')).not.toBeNull(); // peptide protocol only
    await page.type('#field-resistanceDaysPerWeek', '9');
    await page.type('#field-walkingDays', '5');
    await page.type('#field-walkingMinutesPerDay', '30');
    await saveAndContinue(page);
    expect(new URL(page.url()).pathname).toBe('/intake/exercise');
    expect(await page.$eval('.error-summary a', (a) => a.getAttribute('href'))).toBe(
      '#field-resistanceDaysPerWeek',
    );
    await expectAccessible(page, 'exercise with errors, JavaScript off');
    expect(await page.$eval('#field-walkingDays', (el) => (el as HTMLInputElement).value)).toBe(
      '5',
    );
    await page.$eval('#field-resistanceDaysPerWeek', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#field-resistanceDaysPerWeek', '3');
    await page.click('label[for="field-exerciseTimingVsPeptide-3"]');
    await saveAndContinue(page);

    expect(new URL(page.url()).pathname).toBe('/intake/sleep');
    await expectAccessible(page, 'sleep, JavaScript off');
    await page.type('#field-hoursAsleep', '6.5');
    await page.click('label[for="field-loudSnoring-0"]');
    await saveAndContinue(page);

    expect(new URL(page.url()).pathname).toBe('/intake/stress');
    await expectAccessible(page, 'stress, JavaScript off');
    for (let item = 1; item <= 10; item++) await page.click(`label[for="field-pss${item}-3"]`);
    await page.type('#field-routineNotes', 'Night shifts <b>twice</b> a week {{constructor}}');
    await saveAndContinue(page);

    expect(new URL(page.url()).pathname).toBe('/intake/review');
    await expectAccessible(page, 'review, JavaScript off');
    const review = await page.$eval('main', (m) => m.textContent ?? '');
    expect(review).toContain('Not answered');
    expect(review).toContain('Female');
    // Patient text that looks like HTML or Handlebars prints as text.
    expect(review).toContain('Night shifts <b>twice</b> a week {{constructor}}');
    expect(await page.$('main b')).toBeNull();
    await Promise.all([page.waitForNavigation(), page.click('.submit-form button[type="submit"]')]);
    expect(new URL(page.url()).pathname).toBe('/intake/thank-you');
    await expectAccessible(page, 'thank-you, JavaScript off');
    await context.close();

    const stored = await intake();
    expect(stored.status).toBe('submitted');
    expect(stored.answers).toMatchObject({
      sex: 'female',
      ageBand: '30-39',
      auditFrequency: 2,
      auditTypicalDrinks: 1,
      auditSixOrMore: 1,
      oilyFishServingsPerWeek: 2,
      resistanceDaysPerWeek: 3,
      walkingDays: 5,
      walkingMinutesPerDay: 30,
      exerciseTimingVsPeptide: 'varies',
      hoursAsleep: 6.5,
      loudSnoring: 'yes',
      routineNotes: 'Night shifts <b>twice</b> a week {{constructor}}',
    });
    expect(stored.answers).not.toHaveProperty('cruciferousServingsPerWeek');
    expect(stored.scores).toMatchObject({
      // Every item "Fairly often" (3): six items score 3, the four reversed ones 4 - 3 = 1.
      pss10: { status: 'scored', total: 22 },
      auditC: { status: 'scored', total: 4, positive: true },
      ipaqShort: { status: 'incomplete' },
    });
  });

  it('has no accessibility violations on any step, or the review, with JavaScript on or off', async () => {
    for (const javascript of [true, false]) {
      const { context, page } = await newPage(javascript);
      await page.goto(`${t.baseUrl}${secondLinkPath}`);
      // Asked once for this intake: the second browser finds it agreed to.
      if (new URL(page.url()).pathname === '/intake/consent') {
        await Promise.all([page.waitForNavigation(), page.click('button[value="agree"]')]);
      }
      for (const step of STEPS) {
        await page.goto(`${t.baseUrl}/intake/${step}`);
        expect(await page.$eval('h1', (h) => h.textContent)).toBeTruthy();
        await expectAccessible(page, `${step}, JavaScript ${javascript ? 'on' : 'off'}`);
      }
      await page.goto(`${t.baseUrl}/intake/review`);
      await expectAccessible(page, `review, JavaScript ${javascript ? 'on' : 'off'}`);
      await context.close();
    }
  });
});
