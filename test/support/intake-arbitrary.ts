import fc from 'fast-check';
import type { Protocol } from '../../src/common/protocol';
import type {
  Answers,
  AnswerValue,
  Question,
  Questionnaire,
} from '../../src/content/schema/questionnaire.schema';
import { isShown } from '../../src/intake/questionnaire/answers';

/*
 * Intakes a patient could have submitted, for property tests: every shown
 * question either blank or a valid answer, in the order the form asks them
 * (so a follow-up appears only when its lead answer shows it). Free text is
 * left blank: no rule reads it.
 */

const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 11 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m * 5).padStart(2, '0')}`);

function value(question: Question): fc.Arbitrary<AnswerValue | undefined> {
  switch (question.type) {
    case 'single':
      return fc.constantFrom(...question.options.map((o) => o.value));
    case 'multiple': {
      const { noneValue } = question;
      const real = question.options.map((o) => o.value).filter((v) => v !== noneValue);
      return fc.oneof(
        fc.subarray(real, { minLength: 1 }),
        fc.constant(noneValue ? [noneValue] : []),
      );
    }
    case 'number': {
      const steps = Math.round((question.max - question.min) / question.step);
      // Half the time a value in the lower tenth of the range: where the thresholds are.
      return fc
        .oneof(
          fc.integer({ min: 0, max: steps }),
          fc.integer({ min: 0, max: Math.max(1, Math.round(steps / 10)) }),
        )
        .map((n) => question.min + Math.min(n, steps) * question.step);
    }
    case 'time':
      return clock;
    case 'yesNoUnsure':
      return fc.constantFrom('yes', 'no', 'not_sure');
    case 'text':
      return fc.constant(undefined);
  }
}

/** Draws answers for every question; `blank` is the chance each one is left blank. */
export function intakeAnswers(
  questionnaire: Questionnaire,
  protocol: Protocol,
  blank = 0.2,
): fc.Arbitrary<Answers> {
  const questions = questionnaire.sections.flatMap((s) => s.questions);
  // Whole per-mille chances: fast-check biases doubles towards 0 and 1, which would blank most answers.
  const draws = questions.map((q) => fc.tuple(fc.integer({ min: 0, max: 999 }), value(q)));
  return fc.tuple(...draws).map((drawn) => {
    const answers: Record<string, AnswerValue> = {};
    questions.forEach((question, i) => {
      const [chance, answer] = drawn[i];
      if (answer === undefined || chance < blank * 1000) return;
      if (!isShown(question, answers, protocol)) return;
      if (
        question.type === 'time' &&
        question.differsFrom &&
        answers[question.differsFrom] === answer
      )
        return;
      answers[question.id] = answer;
    });
    return answers;
  });
}
