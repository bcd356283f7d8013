import { PILLARS, Pillar } from '../../common/pillar';
import type { Protocol } from '../../common/protocol';
import { isShown } from './answers';
import { Answers, Question, Questionnaire } from '../../content/schema/questionnaire.schema';

/**
 * A pillar is assessed only when at least this share of the questions that
 * apply to the patient were answered. Below it, "no concerns" would be read
 * as reassurance that the answers cannot give.
 */
export const MIN_ANSWERED_SHARE = 0.5;

export interface PillarCoverage {
  readonly pillar: Pillar;
  readonly answered: number;
  readonly applicable: number;
  /** Enough answers to say anything, including "no concerns". */
  readonly enough: boolean;
}

/** How much of each pillar the patient answered. Pure; the pillars are the steps after "about you". */
export function pillarCoverage(
  questionnaire: Questionnaire,
  answers: Answers,
  protocol: Protocol,
): PillarCoverage[] {
  return PILLARS.map((pillar) => {
    const section = questionnaire.sections.find((s) => s.id === pillar);
    const applicable = (section?.questions ?? []).filter((q) => counts(q, answers, protocol));
    const answered = applicable.filter((q) => answers[q.id] !== undefined).length;
    return {
      pillar,
      answered,
      applicable: applicable.length,
      enough: applicable.length > 0 && answered >= applicable.length * MIN_ANSWERED_SHARE,
    };
  });
}

/** The questions that applied and were left blank, step by step (steps with none left out). */
export function unansweredQuestions(
  questionnaire: Questionnaire,
  answers: Answers,
  protocol: Protocol,
): { id: string; title: string; questions: string[] }[] {
  return questionnaire.sections
    .map((section) => ({
      id: section.id,
      title: section.title,
      questions: section.questions
        .filter((q) => counts(q, answers, protocol) && answers[q.id] === undefined)
        .map((q) => q.label),
    }))
    .filter((section) => section.questions.length > 0);
}

/** A question that applies to the patient and is not free text (a note is never expected). */
const counts = (question: Question, answers: Answers, protocol: Protocol): boolean =>
  question.type !== 'text' && isShown(question, answers, protocol);

/**
 * The pillars that cannot be assessed: too few answers, and nothing said
 * about them. A pillar with a discussion point has been assessed, however
 * partly; one without could only read as "no concerns", which these answers
 * cannot support.
 */
export const thinPillars = (
  coverage: readonly PillarCoverage[],
  pillarsWithPoints: ReadonlySet<Pillar>,
): Pillar[] =>
  coverage.filter((c) => !c.enough && !pillarsWithPoints.has(c.pillar)).map((c) => c.pillar);
