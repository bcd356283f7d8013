import type { Protocol } from '../../common/protocol';
import { PROTOCOL_LABELS } from '../../common/protocol';
import type { FieldProblem } from '../../common/domain-error';
import type { IntakeState } from '../../intake/intake.service';
import {
  dependsOnAnswer,
  displayAnswer,
  isShown,
  Progress,
  questionsFor,
} from '../../intake/questionnaire/answers';
import {
  Answers,
  Condition,
  Question,
  Questionnaire,
  Section,
  YES_NO_UNSURE,
} from '../../content/schema/questionnaire.schema';

/*
 * View models for the intake pages, built from the questionnaire definition:
 * the templates only lay them out. Pure functions, no Nest.
 */

export interface OptionView {
  readonly value: string;
  readonly label: string;
  readonly checked: boolean;
  readonly inputId: string;
}

export interface QuestionView {
  readonly id: string;
  readonly label: string;
  readonly help?: string;
  readonly required: boolean;
  readonly kind: 'choice' | 'input';
  readonly inputType?: 'radio' | 'checkbox';
  readonly options?: readonly OptionView[];
  /** An optional single choice that has an answer offers to clear it (radios cannot be unticked). */
  readonly clearable?: boolean;
  readonly value?: string;
  readonly inputMode?: 'numeric' | 'decimal';
  readonly htmlType?: 'text' | 'time' | 'textarea';
  readonly unit?: string;
  readonly maxLength?: number;
  readonly hint?: string;
  readonly error?: string;
  /** JSON for the script that shows and hides follow-up questions. */
  readonly showIf?: string;
  /** Without script, a follow-up question says when to skip it. */
  readonly skipNote?: string;
}

/** A problem for the error summary: the question named, and where to answer it. */
export interface NamedProblem extends FieldProblem {
  readonly question: string;
  /** What to fix, without the question: shown at the field. */
  readonly detail: string;
  readonly href: string;
}

/** A type rather than an interface, so that it is a page model (an object of named values). */
export type StepView = {
  readonly title: string;
  readonly section: { id: string; title: string; intro: string };
  readonly stepNumber: number;
  readonly stepCount: number;
  readonly questions: readonly QuestionView[];
  readonly problems: readonly NamedProblem[];
  readonly progress: Progress;
  readonly previous?: string;
  readonly next?: string;
  readonly protocolLabel: string;
};

/**
 * One step. `values` are the stored answers, or, after a refused post, what
 * the patient typed: the page shows it back so nothing is lost.
 */
export function stepView(
  questionnaire: Questionnaire,
  section: Section,
  values: Readonly<Record<string, unknown>>,
  problems: readonly FieldProblem[],
  protocol: Protocol,
  progress: Progress,
): StepView {
  const index = questionnaire.sections.indexOf(section);
  return {
    title: section.title,
    section: { id: section.id, title: section.title, intro: section.intro },
    stepNumber: index + 1,
    stepCount: questionnaire.sections.length,
    questions: questionsFor(section, protocol).map((q) =>
      questionView(section, q, values[q.id], problems.find((p) => p.field === q.id)?.message),
    ),
    problems: nameProblems(questionnaire, problems, 'here'),
    progress,
    previous: questionnaire.sections[index - 1]?.id,
    next: questionnaire.sections[index + 1]?.id,
    protocolLabel: PROTOCOL_LABELS[protocol],
  };
}

function questionView(
  section: Section,
  question: Question,
  raw: unknown,
  error?: string,
): QuestionView {
  const base = {
    id: question.id,
    label: question.label,
    help: question.help,
    required: question.required,
    error,
    ...(dependsOnAnswer(question) && question.showIf
      ? { showIf: JSON.stringify(question.showIf), skipNote: skipNote(section, question.showIf) }
      : {}),
  };
  const chosen = new Set(
    (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map(String),
  );
  const options = (list: readonly { value: string | number; label: string }[]): OptionView[] =>
    list.map((option, i) => ({
      value: String(option.value),
      label: option.label,
      checked: chosen.has(String(option.value)),
      inputId: `field-${question.id}-${i}`,
    }));
  switch (question.type) {
    case 'single':
    case 'yesNoUnsure': {
      const list = options(question.type === 'single' ? question.options : YES_NO_UNSURE);
      const clearable = !question.required && list.some((option) => option.checked);
      return { ...base, kind: 'choice', inputType: 'radio', options: list, clearable };
    }
    case 'multiple':
      return { ...base, kind: 'choice', inputType: 'checkbox', options: options(question.options) };
    case 'number':
      return {
        ...base,
        kind: 'input',
        htmlType: 'text',
        inputMode: question.step === 1 ? 'numeric' : 'decimal',
        unit: question.unit,
        value: typeof raw === 'number' || typeof raw === 'string' ? String(raw) : '',
        hint: `A number from ${question.min} to ${question.max}${question.step === 0.5 ? ' (halves are fine, like 7.5)' : ''}.`,
      };
    case 'time':
      return {
        ...base,
        kind: 'input',
        htmlType: 'time',
        value: typeof raw === 'string' ? raw : '',
        hint: 'For example 22:30',
      };
    case 'text':
      return {
        ...base,
        kind: 'input',
        htmlType: 'textarea',
        maxLength: question.maxLength,
        value: typeof raw === 'string' ? raw : '',
        hint: `Up to ${question.maxLength} characters.`,
      };
  }
}

function skipNote(section: Section, condition: Condition): string | undefined {
  if ('protocolIn' in condition) return undefined;
  const controlling = section.questions.find((q) => q.id === condition.question);
  if (!controlling) return undefined;
  if ('notEquals' in condition) {
    const shown = displayAnswer(controlling, condition.notEquals);
    return `Skip this if you answered “${shown}” above.`;
  }
  return `Skip this if you answered ${condition.greaterThan} above.`;
}

export interface ReviewSection {
  readonly id: string;
  readonly title: string;
  readonly items: readonly { label: string; answer?: string; required: boolean }[];
}

/** Every applicable question with its answer, or "not answered". */
export function reviewView(
  questionnaire: Questionnaire,
  answers: Answers,
  protocol: Protocol,
): ReviewSection[] {
  return questionnaire.sections.map((section) => ({
    id: section.id,
    title: section.title,
    items: section.questions
      .filter((question) => isShown(question, answers, protocol))
      .map((question) => ({
        label: question.label,
        answer: displayAnswer(question, answers[question.id]),
        required: question.required,
      })),
  }));
}

/**
 * A problem as the error summary says it: "<question>: <what to fix>", so two
 * problems never read alike, and a link to the field on its own step.
 */
function named(
  questionnaire: Questionnaire,
  problem: FieldProblem,
  link: 'here' | 'its step',
): NamedProblem {
  for (const section of questionnaire.sections) {
    const question = section.questions.find((q) => q.id === problem.field);
    if (question) {
      return {
        field: problem.field,
        question: question.label,
        message: `${question.label} — ${lowerFirst(problem.message)}`,
        detail: problem.message,
        href: `${link === 'here' ? '' : `/intake/${section.id}`}#field-${question.id}`,
      };
    }
  }
  return {
    field: problem.field,
    question: problem.field,
    message: problem.message,
    detail: problem.message,
    href: `#field-${problem.field}`,
  };
}

const lowerFirst = (text: string): string => `${text.charAt(0).toLowerCase()}${text.slice(1)}`;

/**
 * Problems as the error summary says them, each linked to its field on this
 * page ('here') or on the step that asks it ('its step', at sending).
 */
export function nameProblems(
  questionnaire: Questionnaire,
  problems: readonly FieldProblem[],
  link: 'here' | 'its step',
): NamedProblem[] {
  return problems.map((problem) => named(questionnaire, problem, link));
}

/** The "check your answers" page. */
export function checkAnswersView(state: IntakeState, protocol: Protocol) {
  const { questionnaire, answers, progress } = state;
  return {
    title: 'Check your answers',
    sections: reviewView(questionnaire, answers, protocol),
    progress,
    lastStep: questionnaire.sections.at(-1)?.id,
  };
}

/**
 * Where opening the link again lands: the step the patient last saved, or an
 * earlier one with a required question unanswered; the first step when
 * nothing was saved yet.
 */
export function resumeStep(
  questionnaire: Questionnaire,
  lastStep: string | null,
  answers: Answers,
  protocol: Protocol,
): string {
  const sections = questionnaire.sections;
  const last = sections.findIndex((section) => section.id === lastStep);
  const missing = sections.findIndex((section) =>
    section.questions.some(
      (q) => q.required && isShown(q, answers, protocol) && answers[q.id] === undefined,
    ),
  );
  const candidates = [last, missing].filter((index) => index >= 0);
  return sections[candidates.length > 0 ? Math.min(...candidates) : 0].id;
}
