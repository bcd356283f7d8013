import type { Coding } from '@medplum/fhirtypes';
import { PROTOCOL_LABELS, Protocol } from '../common/protocol';
import { Option, Question, YES_NO_UNSURE } from '../content/schema/questionnaire.schema';
import { codeSystemUrl, FhirBase } from './fhir-base';

/*
 * The codings of the product's own choices, made in one place for the
 * Questionnaire's answerOption and the QuestionnaireResponse's valueCoding,
 * so an answer always carries the system and code of the option it picked.
 */

export type ChoiceQuestion = Extract<Question, { type: 'single' | 'multiple' | 'yesNoUnsure' }>;

/** The linkId of the item that carries the intake's protocol: a dot, so no question id can take it. */
export const PROTOCOL_LINK_ID = 'intake.protocol';
export const PROTOCOL_ITEM_TEXT = 'The protocol the intake was sent for';

export const isChoice = (question: Question): question is ChoiceQuestion =>
  question.type === 'single' || question.type === 'multiple' || question.type === 'yesNoUnsure';

export function optionsOf(question: ChoiceQuestion): readonly Option[] {
  return question.type === 'yesNoUnsure' ? YES_NO_UNSURE : question.options;
}

/**
 * One code system per question: the product's option values are codes only
 * within their question ("0" is "Never" for a PSS-10 item and "1 or 2" drinks
 * for an AUDIT-C one). Question ids are never reused, so the system is stable.
 */
const answerSystem = (base: FhirBase, question: Question): string =>
  codeSystemUrl(base, `answer-${question.id}`);

/** The coding of the option whose value is `value`; throws when the question has no such option. */
export function optionCoding(base: FhirBase, question: ChoiceQuestion, value: unknown): Coding {
  const option = optionsOf(question).find((o) => o.value === value);
  if (!option) throw new Error(`${question.id} has no option ${JSON.stringify(value)}`);
  return {
    system: answerSystem(base, question),
    code: String(option.value),
    display: option.label,
  };
}

export const protocolCoding = (base: FhirBase, protocol: Protocol): Coding => ({
  system: codeSystemUrl(base, 'protocol'),
  code: protocol,
  display: PROTOCOL_LABELS[protocol],
});
