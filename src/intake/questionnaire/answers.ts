import type { Protocol } from '../../common/protocol';
import { quantity } from '../../common/quantity';
import { textProblem } from '../../common/safe-text';
import {
  AnswerValue,
  Answers,
  Condition,
  Question,
  Questionnaire,
  Section,
  SectionId,
  YES_NO_UNSURE,
} from '../../content/schema/questionnaire.schema';

/** Where a raw value came from: a form posts text; JSON must carry the right type. */
export type Source = 'form' | 'json';

export type Parsed =
  | { readonly ok: true; readonly value: AnswerValue | undefined }
  | { readonly ok: false; readonly message: string };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * Text PostgreSQL cannot store in jsonb: a UTF-16 surrogate without its pair
 * (JSON can carry one as an escape); it made the save fail with a 500. A NUL
 * character, which no column can store, is refused for every route by the
 * body parsers (src/common/body-parsing.ts), and here too for direct callers.
 */
const unstorable = (text: string): boolean => text.includes('\u0000') || LONE_SURROGATE.test(text);
const blank = (raw: unknown): boolean =>
  raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');

/**
 * Reads one answer against its question. Blank (missing, null, empty text, no
 * box ticked) gives `undefined`: the answer is absent, never "no" or 0.
 */
export function parseAnswer(question: Question, raw: unknown, source: Source): Parsed {
  if (question.type === 'multiple') return parseMultiple(question, raw, source);
  if (blank(raw)) return { ok: true, value: undefined };
  switch (question.type) {
    case 'single': {
      if (source === 'json' && typeof raw !== 'string' && typeof raw !== 'number') {
        return fail('Choose one of the options.');
      }
      const option = question.options.find((o) => String(o.value) === String(raw));
      if (!option || (source === 'json' && typeof raw !== typeof option.value)) {
        return fail('Choose one of the options.');
      }
      return { ok: true, value: option.value };
    }
    case 'yesNoUnsure': {
      const option = YES_NO_UNSURE.find((o) => o.value === raw);
      return option ? { ok: true, value: option.value } : fail('Choose yes, no or not sure.');
    }
    case 'number': {
      if (source === 'json' && typeof raw !== 'number') return fail('Enter a number.');
      // A field posted twice arrives as a list, which String() would join with a
      // comma: "7" and "5" must not read as the decimal 7,5.
      if (typeof raw !== 'string' && typeof raw !== 'number') {
        return fail(`Enter a number of ${question.unit}.`);
      }
      const text = String(raw).trim().replace(',', '.');
      const value =
        typeof raw === 'number' ? raw : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(value)) return fail(`Enter a number of ${question.unit}.`);
      if (value < question.min || value > question.max) {
        return fail(`Enter a number from ${question.min} to ${question.max} (${question.unit}).`);
      }
      if (!Number.isInteger(value / question.step)) {
        return fail(
          question.step === 1
            ? 'Enter a whole number.'
            : 'Enter a whole or half number, like 7 or 7.5.',
        );
      }
      return { ok: true, value };
    }
    case 'time': {
      if (typeof raw !== 'string' || !TIME.test(raw.trim())) {
        return fail('Enter a time like 22:30 (24-hour clock).');
      }
      return { ok: true, value: raw.trim() };
    }
    case 'text': {
      if (typeof raw !== 'string') return fail('Enter text.');
      if (unstorable(raw)) {
        return fail('Remove the unusual or invisible characters from this answer.');
      }
      // Composed, as names are; line breaks kept, nothing hidden (src/common/safe-text.ts).
      const value = raw.trim().normalize('NFC');
      const hidden = textProblem(value, { multiline: true });
      if (hidden) return fail(hidden);
      if (value.length > question.maxLength) {
        return fail(`Use at most ${question.maxLength} characters (you used ${value.length}).`);
      }
      return { ok: true, value };
    }
  }
}

function parseMultiple(
  question: Extract<Question, { type: 'multiple' }>,
  raw: unknown,
  source: Source,
): Parsed {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (source === 'json' && !Array.isArray(raw)) return fail('Send a list of options.');
  const values = (Array.isArray(raw) ? raw : [raw]).filter((value) => !blank(value));
  if (values.some((value) => typeof value !== 'string')) return fail('Choose from the options.');
  const chosen = [...new Set(values as string[])];
  if (chosen.some((value) => !question.options.some((o) => o.value === value))) {
    return fail('Choose from the options.');
  }
  if (question.noneValue && chosen.includes(question.noneValue) && chosen.length > 1) {
    const none = question.options.find((o) => o.value === question.noneValue)?.label ?? 'None';
    return fail(`"${none}" cannot be combined with other choices.`);
  }
  if (chosen.length === 0) return { ok: true, value: undefined };
  // Keep the definition's order, whatever order the browser sent.
  return {
    ok: true,
    value: question.options.map((o) => o.value).filter((v) => chosen.includes(v)),
  };
}

const fail = (message: string): Parsed => ({ ok: false, message });

/** Whether a question applies, given the protocol and the answers so far. */
export function isShown(question: Question, answers: Answers, protocol: Protocol): boolean {
  return question.showIf ? holds(question.showIf, answers, protocol) : true;
}

function holds(condition: Condition, answers: Answers, protocol: Protocol): boolean {
  if ('protocolIn' in condition) return condition.protocolIn.includes(protocol);
  const answer = answers[condition.question];
  if (answer === undefined) return false;
  if ('notEquals' in condition) return answer !== condition.notEquals;
  return typeof answer === 'number' && answer > condition.greaterThan;
}

/** Whether a question applies before the patient has answered the questions it depends on. */
export function dependsOnAnswer(question: Question): boolean {
  return question.showIf !== undefined && !('protocolIn' in question.showIf);
}

/** Questions that can apply to this protocol (answer-dependent ones included). */
export function questionsFor(section: Section, protocol: Protocol): Question[] {
  return section.questions.filter(
    (question) =>
      !question.showIf || !('protocolIn' in question.showIf) || isShown(question, {}, protocol),
  );
}

export interface SectionInput {
  readonly answers: Record<string, AnswerValue>;
  readonly problems: { field: string; message: string }[];
}

/**
 * Reads a whole step as posted. Every question of the section is read, so a
 * question left blank in the post becomes blank. Unknown fields are refused by
 * name. Answers to questions that do not apply (their condition is false)
 * are dropped, since they were not asked. A refused answer is left out of
 * `answers`. With `required: false` (a step saved as the patient types), a
 * required question left blank is not a problem yet.
 */
export function readSection(
  section: Section,
  body: Readonly<Record<string, unknown>>,
  source: Source,
  protocol: Protocol,
  options: { readonly required: boolean } = { required: true },
): SectionInput {
  const problems: { field: string; message: string }[] = [];
  const answers: Record<string, AnswerValue> = {};
  const known = new Set(section.questions.map((q) => q.id));
  for (const field of Object.keys(body)) {
    if (!known.has(field))
      problems.push({ field, message: `${field} is not a question of this step.` });
  }
  for (const question of section.questions) {
    const parsed = parseAnswer(question, body[question.id], source);
    if (!parsed.ok) problems.push({ field: question.id, message: parsed.message });
    else if (parsed.value !== undefined) answers[question.id] = parsed.value;
  }
  // Equal bed and wake times would make the sleep-schedule scorer refuse the intake at submit.
  for (const question of section.questions) {
    const other = question.type === 'time' ? question.differsFrom : undefined;
    if (other && answers[question.id] !== undefined && answers[question.id] === answers[other]) {
      problems.push({
        field: question.id,
        message: 'Enter a wake time that differs from the bedtime.',
      });
      delete answers[question.id];
    }
  }
  for (const question of section.questions) {
    if (answers[question.id] !== undefined && !isShown(question, answers, protocol)) {
      delete answers[question.id];
    }
    if (
      options.required &&
      question.required &&
      isShown(question, answers, protocol) &&
      answers[question.id] === undefined
    ) {
      if (!problems.some((p) => p.field === question.id)) {
        problems.push({ field: question.id, message: 'Answer this question to continue.' });
      }
    }
  }
  return { answers, problems };
}

/** The stored answers with one section's answers replaced by new ones. */
export function replaceSection(
  stored: Answers,
  section: Section,
  answers: Answers,
): Record<string, AnswerValue> {
  const next: Record<string, AnswerValue> = { ...stored };
  for (const question of section.questions) delete next[question.id];
  return { ...next, ...answers };
}

export interface Progress {
  readonly answered: number;
  readonly applicable: number;
  readonly percent: number;
  readonly missingRequired: readonly { section: SectionId; question: string }[];
}

export function progressOf(
  questionnaire: Questionnaire,
  answers: Answers,
  protocol: Protocol,
): Progress {
  let answered = 0;
  let applicable = 0;
  const missingRequired: { section: SectionId; question: string }[] = [];
  for (const section of questionnaire.sections) {
    for (const question of section.questions) {
      if (!isShown(question, answers, protocol)) continue;
      applicable++;
      if (answers[question.id] !== undefined) answered++;
      else if (question.required)
        missingRequired.push({ section: section.id, question: question.id });
    }
  }
  return {
    answered,
    applicable,
    percent: applicable ? Math.round((100 * answered) / applicable) : 0,
    missingRequired,
  };
}

/** The answer as a person reads it, or undefined when blank. */
export function displayAnswer(
  question: Question,
  value: AnswerValue | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  switch (question.type) {
    case 'single':
      return question.options.find((o) => o.value === value)?.label ?? String(value);
    case 'multiple':
      return (value as readonly string[])
        .map((v) => question.options.find((o) => o.value === v)?.label ?? v)
        .join(', ');
    case 'yesNoUnsure':
      return YES_NO_UNSURE.find((o) => o.value === value)?.label ?? String(value);
    case 'number':
      return quantity(value as number, question.unit);
    case 'time':
    case 'text':
      return String(value);
  }
}
