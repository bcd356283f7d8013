import fc from 'fast-check';
import { Protocol, PROTOCOLS } from '../src/common/protocol';
import type { Answers, AnswerValue, Question } from '../src/content/schema/questionnaire.schema';
import { isShown } from '../src/intake/questionnaire/answers';
import { scoreIntake } from '../src/intake/scoring';
import { evaluate } from '../src/rules/evaluate';
import { HandoutHarness } from './support/handout-harness';
import { intakeAnswers } from './support/intake-arbitrary';

/*
 * However heavy the intake, the clinician's guide fits one to three pages
 * and the patient's notes one to two, on A4 and on Letter. For each
 * protocol, the heaviest of many generated intakes (most points, most
 * words) and a typical one are rendered by real Chromium and counted.
 */

const SAMPLED = 400;
const PER_PROTOCOL = 4;
const harness = new HandoutHarness({
  clinicName: 'Northfield Hormone and Wellness Clinic of Greater Westbury',
  patientName: 'Alexandra-Josephine Montgomery-Vanderbilt',
  patientReference: 'NF-2026-000123',
});
const { content } = harness;

const weigh = (protocol: Protocol, answers: Answers): number =>
  evaluate(content.knowledgeBase, {
    questionnaire: content.questionnaire,
    answers,
    scores: scoreIntake(answers) as unknown as Record<string, unknown>,
    protocol,
  }).points.reduce((n, p) => n + p.summary.length + p.detail.length + p.patientText.length, 0);

/** The values worth trying for a question: every option, or a number's range ends and middle. */
function candidates(question: Question): AnswerValue[] {
  switch (question.type) {
    case 'single':
      return question.options.map((o) => o.value);
    case 'multiple':
      return [
        question.options.map((o) => o.value).filter((v) => v !== question.noneValue),
        ...(question.noneValue ? [[question.noneValue]] : []),
      ];
    case 'number':
      return [question.min, question.max, Math.round((question.min + question.max) / 2)];
    case 'yesNoUnsure':
      return ['yes', 'no', 'not_sure'];
    case 'time':
    case 'text':
      // Times change only the sleep scores, which the number answers already reach.
      return [];
  }
}

/**
 * The heaviest intake a search can find: from a heavy sample, each question
 * in turn takes whichever answer (or blank) makes the most text, until no
 * single change makes more. A worst case no random sample is likely to hit.
 */
function heaviestBySearch(protocol: Protocol, start: Answers): Answers {
  const questions = content.questionnaire.sections.flatMap((s) => s.questions);
  let best: Record<string, AnswerValue> = { ...start };
  let bestWeight = weigh(protocol, best);
  for (let pass = 0; pass < 3; pass++) {
    let improved = false;
    for (const question of questions) {
      for (const value of [undefined, ...candidates(question)]) {
        const next = { ...best };
        if (value === undefined) delete next[question.id];
        else next[question.id] = value;
        if (question.required && value === undefined) continue;
        if (
          !content.questionnaire.sections.every((section) =>
            section.questions.every((q) => (q.id in next ? isShown(q, next, protocol) : true)),
          )
        )
          continue;
        const weight = weigh(protocol, next);
        if (weight > bestWeight) {
          best = next;
          bestWeight = weight;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return best;
}

function heaviest(protocol: Protocol): Answers[] {
  const sampled = fc.sample(intakeAnswers(content.questionnaire, protocol, 0.03), {
    numRuns: SAMPLED,
    seed: 6122026,
  });
  const weighed = sampled.map((answers) => {
    const result = evaluate(content.knowledgeBase, {
      questionnaire: content.questionnaire,
      answers,
      scores: scoreIntake(answers) as unknown as Record<string, unknown>,
      protocol,
    });
    const words = result.points.reduce((n, p) => n + p.detail.length + p.patientText.length, 0);
    return { answers, words };
  });
  weighed.sort((a, b) => b.words - a.words);
  return [
    heaviestBySearch(protocol, weighed[0].answers),
    ...weighed.slice(0, PER_PROTOCOL - 2).map((w) => w.answers),
    weighed[Math.floor(SAMPLED / 2)].answers,
  ];
}

afterAll(() => harness.close());

describe.each(PROTOCOLS)('handout pages for %s', (protocol) => {
  const intakes = heaviest(protocol);

  it.each(['a4', 'letter'] as const)(
    `fit 1-3 pages (guide) and 1-2 (notes) on %s: the heaviest intake a search finds, the ${PER_PROTOCOL - 2} heaviest of ${SAMPLED} generated, and a typical one`,
    async (paper) => {
      const counts: {
        intake: number;
        kind: string;
        points: number;
        pages: number;
        fits: boolean;
      }[] = [];
      for (const [i, answers] of intakes.entries()) {
        const assessed = harness.assess(protocol, answers);
        for (const kind of ['clinician', 'patient'] as const) {
          const { pages, refused } = await harness.render(assessed, kind, paper);
          const [min, max] = kind === 'clinician' ? [1, 3] : [1, 2];
          counts.push({
            intake: i,
            kind,
            points: assessed.result.points.length,
            pages,
            fits: pages >= min && pages <= max && refused.length === 0,
          });
        }
      }
      // Every count listed, so a failure shows which handout outgrew its pages and how far.
      expect(counts.filter((count) => !count.fits)).toEqual([]);
      expect(counts).toHaveLength(intakes.length * 2);
    },
  );
});
