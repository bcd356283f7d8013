import type { QuestionnaireItem } from '@medplum/fhirtypes';
import type { Question } from '../content/schema/questionnaire.schema';

/** The FHIR item types the product's questions become. */
export type AnswerItemType = Extract<
  QuestionnaireItem['type'],
  'choice' | 'integer' | 'decimal' | 'time' | 'text'
>;

/**
 * The item type of a question: every list of options (one, several, or yes /
 * no / not sure) is a `choice`; a number is an `integer` when its step is 1
 * and a `decimal` when halves are allowed; free text is multi-line `text`.
 */
export function itemTypeOf(question: Question): AnswerItemType {
  switch (question.type) {
    case 'single':
    case 'multiple':
    case 'yesNoUnsure':
      return 'choice';
    case 'number':
      return question.step === 1 ? 'integer' : 'decimal';
    case 'time':
      return 'time';
    case 'text':
      return 'text';
  }
}
