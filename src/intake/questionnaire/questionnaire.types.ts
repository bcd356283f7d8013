import type { Protocol } from '../../common/protocol';
import type { RowRef } from '../../knowledge/article-rows';

/** The intake's steps, in order. The review step follows them. */
export const SECTION_IDS = ['context', 'diet', 'exercise', 'sleep', 'stress'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface Option<V extends string | number = string | number> {
  readonly value: V;
  readonly label: string;
}

/**
 * When a question applies. A condition on an answer is false while that
 * answer is blank: an unanswered question never satisfies a condition.
 */
export type Condition =
  | { readonly protocolIn: readonly Protocol[] }
  | { readonly question: string; readonly notEquals: string | number }
  | { readonly question: string; readonly greaterThan: number };

interface QuestionBase {
  /** Stable id; answers are stored under it. Never reuse a retired id. */
  readonly id: string;
  readonly label: string;
  readonly help?: string;
  readonly required: boolean;
  readonly showIf?: Condition;
  /** The article rows this question informs. Empty only for context questions, or with a reason. */
  readonly informs: readonly RowRef[];
  /** Why a question outside the context step informs no article row. */
  readonly noRowReason?: string;
  /** The instrument this item belongs to, when it is one. */
  readonly instrument?: 'pss10' | 'auditC' | 'ipaqShort';
}

export interface SingleChoiceQuestion extends QuestionBase {
  readonly type: 'single';
  readonly options: readonly Option[];
}

export interface MultipleChoiceQuestion extends QuestionBase {
  readonly type: 'multiple';
  readonly options: readonly Option<string>[];
  /** An option that means "none of these"; it cannot be combined with others. */
  readonly noneValue?: string;
}

export interface NumberQuestion extends QuestionBase {
  readonly type: 'number';
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  /** 1 for whole numbers, 0.5 for halves. */
  readonly step: 1 | 0.5;
}

export interface TimeQuestion extends QuestionBase {
  readonly type: 'time';
  /**
   * An earlier time question of the same step this answer may not equal
   * (a wake time equal to the bedtime would mean 0 or 24 hours asleep).
   */
  readonly differsFrom?: string;
}

export interface YesNoUnsureQuestion extends QuestionBase {
  readonly type: 'yesNoUnsure';
}

export interface TextQuestion extends QuestionBase {
  readonly type: 'text';
  readonly maxLength: number;
}

export type Question =
  | SingleChoiceQuestion
  | MultipleChoiceQuestion
  | NumberQuestion
  | TimeQuestion
  | YesNoUnsureQuestion
  | TextQuestion;

export interface Section {
  readonly id: SectionId;
  readonly title: string;
  readonly intro: string;
  readonly questions: readonly Question[];
}

export interface Questionnaire {
  readonly version: string;
  readonly sections: readonly Section[];
}

/** A stored answer: blank questions are absent, never stored as "no" or 0. */
export type AnswerValue = string | number | readonly string[];
export type Answers = Readonly<Record<string, AnswerValue>>;

export const YES_NO_UNSURE: readonly Option<string>[] = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: 'not_sure', label: 'Not sure' },
];
