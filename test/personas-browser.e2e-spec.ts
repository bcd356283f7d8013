import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser as Chromium, Page } from 'puppeteer-core';
import { AssessmentEntity } from '../src/assessments/assessment.entity';
import { Protocol } from '../src/common/protocol';
import { PROJECT_ROOT } from '../src/config/project-root';
import { loadContent } from '../src/content/content';
import {
  Answers,
  AnswerValue,
  Question,
  YES_NO_UNSURE,
} from '../src/content/schema/questionnaire.schema';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { scoreIntake } from '../src/intake/scoring';
import { DiscussionPoint, evaluate, GROUP_POINT_IDS } from '../src/rules/evaluate';
import { launchChromium, openPage } from './support/chromium';
import { invite } from './support/patient-link';
import { asBytes, readPdf } from './support/pdf';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

/*
 * Personas of every protocol entered as a patient enters them: the
 * clinician's link opened in headless Chromium (JavaScript on, a phone's
 * screen), each step filled by clicking choices and typing numbers and times,
 * the review step, "Send to my clinic". Then what the service stored: the
 * same answers, the points the persona must (and must not) get, and both
 * handouts, downloaded by the signed-in clinician, with the fixture's A4 pages.
 * Clinic and patient names are those personas-handouts.e2e-spec.ts renders.
 */

interface Persona {
  readonly name: string;
  readonly protocol: Protocol;
  readonly answers: Answers;
  readonly mustInclude: readonly string[];
  readonly mustExclude: readonly string[];
  readonly pages: { readonly clinician: number; readonly patient: number };
}

/** One per protocol: short sleep on TRT, estradiol with broken sleep, a heavy peptide intake, sparse post-TRT, heavy "other". */
const ENTERED = [
  'trt-short-sleep-heavy-drinking.json',
  'female-estradiol-wakes-most-nights.json',
  'peptide-far-apart-heavy.json',
  'post-trt-never-oily-fish.json',
  'other-protocol.json',
];

const persona = (file: string): Persona =>
  JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'personas', file), 'utf8'),
  ) as Persona;

const content = loadContent();

/** "23:30" as a US patient types it into the time field (hour, minute, AM/PM). */
function typedTime(value: string): string {
  const [hours, minutes] = value.split(':').map(Number);
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${String(hour12).padStart(2, '0')}${String(minutes).padStart(2, '0')}${hours < 12 ? 'A' : 'P'}`;
}

/** Fills one question as a patient would: clicks a choice's label, or types into the field. */
async function answer(page: Page, question: Question, value: AnswerValue): Promise<void> {
  const field = `#field-${question.id}`;
  switch (question.type) {
    case 'single':
    case 'yesNoUnsure':
    case 'multiple': {
      const options = question.type === 'yesNoUnsure' ? YES_NO_UNSURE : question.options;
      for (const chosen of Array.isArray(value) ? value : [value]) {
        const index = options.findIndex((o) => String(o.value) === String(chosen));
        if (index < 0) throw new Error(`${question.id} has no option ${String(chosen)}`);
        await page.click(`label[for="field-${question.id}-${index}"]`);
      }
      return;
    }
    case 'time':
      await page.focus(field);
      await page.keyboard.type(typedTime(String(value)));
      // The field takes the time in the browser's locale; it must hold the one meant.
      expect({
        question: question.id,
        value: await page.$eval(field, (el) => (el as HTMLInputElement).value),
      }).toEqual({ question: question.id, value });
      return;
    case 'number':
    case 'text':
      await page.type(field, String(value));
      return;
  }
}

/** Multiple-choice answers in a fixed order: the form sends them in the page's order. */
const sorted = (answers: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(answers).map(([id, v]) => [id, Array.isArray(v) ? [...v].sort() : v]),
  );

/**
 * The rules that fired, read from the stored points: a point's own rule, or a
 * rule printed inside its group's one point (named there by its summary).
 */
function firedRules(points: readonly DiscussionPoint[]): Set<string> {
  const fired = new Set(points.map((p) => p.ruleId));
  for (const rule of content.knowledgeBase.rules) {
    if (!rule.group) continue;
    const group = points.find((p) => p.ruleId === GROUP_POINT_IDS[rule.group!]);
    if (group?.detail.includes(rule.clinician.summary.replace(/\.$/, ''))) fired.add(rule.id);
  }
  return fired;
}

const escape = (text: string): string => Handlebars.escapeExpression(text);

describe('personas entered through the real form in Chromium, then assessed and handed out', () => {
  let t: TestApp;
  let chromium: Chromium;
  let doc: TestUser;
  let clinician: Browser;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Persona Clinic');
    doc = await createUser(t.dataSource, clinic, { email: 'doc@personas.test' });
    clinician = await signIn(t.server, doc);
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
  });

  const download = (id: string, kind: 'clinician' | 'patient') =>
    clinician.agent
      .get(`/api/assessments/${id}/handouts/${kind}`)
      .query({ paper: 'a4' })
      .buffer(true)
      .parse(asBytes);

  it('covers at least four protocols', () => {
    expect(new Set(ENTERED.map((file) => persona(file).protocol)).size).toBeGreaterThanOrEqual(4);
  });

  it.each(ENTERED)(
    '%s: every step filled in the browser, sent, assessed, both handouts downloaded',
    async (file) => {
      const p = persona(file);
      const patient = await createPatient(t.dataSource, doc, {
        givenName: 'Pat',
        familyName: 'Persona',
      });
      const invitation = await invite(clinician, patient, p.protocol);

      const { context, page } = await openPage(chromium, {
        javascript: true,
        width: 390,
        height: 844,
      });
      try {
        await page.goto(`${t.baseUrl}${new URL(invitation.link).pathname}`);
        await Promise.all([page.waitForNavigation(), page.click('button[value="agree"]')]);
        for (const section of content.questionnaire.sections) {
          expect(new URL(page.url()).pathname).toBe(`/intake/${section.id}`);
          for (const question of section.questions) {
            const value = p.answers[question.id];
            if (value === undefined) continue;
            // Asked of this protocol, and shown by now (a follow-up after the answer it follows).
            expect({
              question: question.id,
              shown: await page.$eval(`#q-${question.id}`, (el) => !(el as HTMLElement).hidden),
            }).toEqual({ question: question.id, shown: true });
            await answer(page, question, value);
          }
          await Promise.all([page.waitForNavigation(), page.click('button[value="next"]')]);
          expect(await page.$('.error-summary')).toBeNull();
        }

        expect(new URL(page.url()).pathname).toBe('/intake/review');
        const answered = Object.keys(p.answers).length;
        expect(await page.$eval('.lead', (el) => el.textContent)).toContain(
          `You answered ${answered} of`,
        );
        await Promise.all([
          page.waitForNavigation(),
          page.click('.submit-form button[type="submit"]'),
        ]);
        expect(new URL(page.url()).pathname).toBe('/intake/thank-you');
      } finally {
        await context.close();
      }

      // What the service stored: exactly the persona's answers, assessed as the rules say.
      const intake = await t.dataSource
        .getRepository(IntakeEntity)
        .findOneByOrFail({ invitationId: invitation.id });
      expect(intake.status).toBe('submitted');
      expect(intake.protocol).toBe(p.protocol);
      expect(sorted(intake.answers)).toEqual(sorted(p.answers));
      const assessment = await t.dataSource
        .getRepository(AssessmentEntity)
        .findOneByOrFail({ intakeId: intake.id });
      const points = (assessment.results as unknown as { points: DiscussionPoint[] }).points;
      const expected = evaluate(content.knowledgeBase, {
        questionnaire: content.questionnaire,
        answers: p.answers,
        scores: scoreIntake(p.answers) as unknown as Record<string, unknown>,
        protocol: p.protocol,
      });
      expect(points.map((point) => point.ruleId)).toEqual(
        expected.points.map((point) => point.ruleId),
      );
      const fired = firedRules(points);
      expect({ missing: p.mustInclude.filter((id) => !fired.has(id)) }).toEqual({ missing: [] });
      expect({ unexpected: p.mustExclude.filter((id) => fired.has(id)) }).toEqual({
        unexpected: [],
      });

      // The clinician's review page: every point, and any screen that fired with no point.
      const review = await clinician.agent.get(`/intakes/${intake.id}`).set('Accept', 'text/html');
      expect(review.status).toBe(200);
      for (const point of expected.points) expect(review.text).toContain(escape(point.summary));
      for (const note of expected.screenNotes ?? [])
        expect(review.text).toContain(escape(note.summary));

      // Both handouts, as the clinician downloads them.
      for (const kind of ['clinician', 'patient'] as const) {
        const response = await download(assessment.id, kind);
        expect({ kind, status: response.status }).toEqual({ kind, status: 200 });
        expect(response.headers['content-type']).toBe('application/pdf');
        const { pages, pageSize, text } = readPdf(response.body as Buffer);
        expect(pageSize).toContain('595.'); // A4 width in points
        expect(text).toContain('Pat Persona');
        expect({ kind, pages }).toEqual({ kind, pages: p.pages[kind] });
      }
    },
    120_000,
  );
});
