import { z } from 'zod';
import { PROTOCOLS } from '../../common/protocol';

/*
 * The shape of a questionnaire version (src/content/questionnaires/*.json):
 * the one definition that renders the pages, validates answers on the
 * server, builds the review page and the API's schema. Checks that need more
 * than one question (ids, conditions, rows) are in ../check-questionnaire.ts.
 */

/** The intake's steps, in order. The review step follows them. */
export const SECTION_IDS = ['context', 'diet', 'exercise', 'sleep', 'stress'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

const rowRef = z.string().regex(/^[a-z-]+:[a-z0-9-]+:[a-z0-9-]+$/);
const optionValue = z.union([z.string(), z.number()]);
const optionSchema = z.strictObject({ value: optionValue, label: z.string().min(1) });
export type Option<V extends string | number = string | number> = {
  readonly value: V;
  readonly label: string;
};

/**
 * When a question applies. A condition on an answer is false while that
 * answer is blank: an unanswered question never satisfies a condition.
 */
const showIfSchema = z.union([
  z.strictObject({ protocolIn: z.array(z.enum(PROTOCOLS)).min(1) }),
  z.strictObject({ question: z.string(), notEquals: optionValue }),
  z.strictObject({ question: z.string(), greaterThan: z.number() }),
]);
export type Condition = z.infer<typeof showIfSchema>;

const base = {
  /** Stable id; answers are stored under it. Never reuse a retired id. */
  id: z.string(),
  label: z.string().min(3),
  help: z.string().optional(),
  required: z.boolean(),
  showIf: showIfSchema.optional(),
  /** The article rows this question informs. Empty only for context questions, or with a reason. */
  informs: z.array(rowRef),
  /** Why a question outside the context step informs no article row. */
  noRowReason: z.string().optional(),
  /** The instrument this item belongs to, when it is one. */
  instrument: z.enum(['pss10', 'auditC', 'ipaqShort']).optional(),
};

const singleSchema = z.strictObject({
  ...base,
  type: z.literal('single'),
  options: z.array(optionSchema).min(2),
});
const multipleSchema = z.strictObject({
  ...base,
  type: z.literal('multiple'),
  options: z.array(z.strictObject({ value: z.string(), label: z.string().min(1) })).min(2),
  /** An option that means "none of these"; it cannot be combined with others. */
  noneValue: z.string().optional(),
});
const numberSchema = z.strictObject({
  ...base,
  type: z.literal('number'),
  unit: z.string(),
  min: z.number(),
  max: z.number(),
  /** 1 for whole numbers, 0.5 for halves. */
  step: z.union([z.literal(1), z.literal(0.5)]),
});
const timeSchema = z.strictObject({
  ...base,
  type: z.literal('time'),
  /**
   * An earlier time question of the same step this answer may not equal
   * (a wake time equal to the bedtime would mean 0 or 24 hours asleep).
   */
  differsFrom: z.string().optional(),
});
const yesNoUnsureSchema = z.strictObject({ ...base, type: z.literal('yesNoUnsure') });
const textSchema = z.strictObject({
  ...base,
  type: z.literal('text'),
  maxLength: z.number().int().positive(),
});

export const questionSchema = z.discriminatedUnion('type', [
  singleSchema,
  multipleSchema,
  numberSchema,
  timeSchema,
  yesNoUnsureSchema,
  textSchema,
]);

export const sectionSchema = z.strictObject({
  id: z.enum(SECTION_IDS),
  title: z.string().min(3),
  intro: z.string().min(3),
  questions: z.array(questionSchema).min(1),
});

export const questionnaireSchema = z.strictObject({
  /** `YYYY-MM.N`; a change to any question that alters its meaning needs a new version. */
  version: z.string().regex(/^\d{4}-\d{2}\.\d+$/),
  sections: z.array(sectionSchema),
});

export type SingleChoiceQuestion = z.infer<typeof singleSchema>;
export type MultipleChoiceQuestion = z.infer<typeof multipleSchema>;
export type NumberQuestion = z.infer<typeof numberSchema>;
export type TimeQuestion = z.infer<typeof timeSchema>;
export type YesNoUnsureQuestion = z.infer<typeof yesNoUnsureSchema>;
export type TextQuestion = z.infer<typeof textSchema>;
export type Question = z.infer<typeof questionSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type Questionnaire = z.infer<typeof questionnaireSchema>;

/** A stored answer: blank questions are absent, never stored as "no" or 0. */
export type AnswerValue = string | number | readonly string[];
export type Answers = Readonly<Record<string, AnswerValue>>;

export const YES_NO_UNSURE: readonly Option<string>[] = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: 'not_sure', label: 'Not sure' },
];
