import type { QuestionnaireItem, QuestionnaireItemEnableWhen } from '@medplum/fhirtypes';
import type { Condition, Question } from '../content/schema/questionnaire.schema';
import { isChoice, optionCoding, PROTOCOL_LINK_ID, protocolCoding } from './answer-codings';
import type { FhirBase } from './fhir-base';
import { itemTypeOf } from './item-types';

type EnableWhen = Pick<QuestionnaireItem, 'enableWhen' | 'enableBehavior'>;

type AnswerOf = Omit<QuestionnaireItemEnableWhen, 'question' | 'operator'>;

/**
 * A question's `showIf` as FHIR enableWhen, meaning exactly what the
 * product's `isShown` (src/intake/questionnaire/answers.ts) decides:
 *
 * - `protocolIn`: the protocol is one of the list. The protocol is not a
 *   question, so the Questionnaire carries it as a hidden, read-only item
 *   (PROTOCOL_LINK_ID) that every response answers.
 * - `notEquals`: answered, and not that value. FHIR R4 leaves open whether
 *   `!=` holds for a question left blank; the product says no (a blank never
 *   satisfies a condition), so an `exists` is joined to it with `all`.
 * - `greaterThan`: answered with a greater number; `>` is false on a blank.
 *
 * A condition FHIR cannot say with the same meaning (a number compared with
 * a list of choices, a value that is none of the options) throws: a wrong
 * enableWhen would hide questions in the EHR that the patient was asked.
 */
export function enableWhenOf(
  base: FhirBase,
  condition: Condition,
  questions: ReadonlyMap<string, Question>,
): EnableWhen {
  if ('protocolIn' in condition) {
    const enableWhen = condition.protocolIn.map((protocol): QuestionnaireItemEnableWhen => ({
      question: PROTOCOL_LINK_ID,
      operator: '=',
      answerCoding: protocolCoding(base, protocol),
    }));
    return enableWhen.length > 1 ? { enableWhen, enableBehavior: 'any' } : { enableWhen };
  }
  const lead = questions.get(condition.question);
  if (!lead) throw new Error(`The condition names an unknown question ${condition.question}`);
  if ('notEquals' in condition) {
    return {
      enableWhen: [
        { question: lead.id, operator: 'exists', answerBoolean: true },
        { question: lead.id, operator: '!=', ...answerOf(base, lead, condition.notEquals) },
      ],
      enableBehavior: 'all',
    };
  }
  if (lead.type !== 'number') {
    throw new Error(`"greater than" on ${lead.id}, a ${lead.type} question, has no FHIR form`);
  }
  return {
    enableWhen: [
      { question: lead.id, operator: '>', ...answerOf(base, lead, condition.greaterThan) },
    ],
  };
}

/** The enableWhen answer[x] that stands for `value` as an answer to `lead`. */
function answerOf(base: FhirBase, lead: Question, value: string | number): AnswerOf {
  if (isChoice(lead) && lead.type !== 'multiple') {
    return { answerCoding: optionCoding(base, lead, value) };
  }
  const type = itemTypeOf(lead);
  if (typeof value === 'number' && type === 'decimal') return { answerDecimal: value };
  if (typeof value === 'number' && type === 'integer' && Number.isInteger(value)) {
    return { answerInteger: value };
  }
  throw new Error(`A condition on ${lead.id} (${lead.type}) with ${value} has no FHIR form`);
}
