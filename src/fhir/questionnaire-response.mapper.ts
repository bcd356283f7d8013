import type {
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
} from '@medplum/fhirtypes';
import type {
  Answers,
  AnswerValue,
  Question,
  Questionnaire,
  Section,
} from '../content/schema/questionnaire.schema';
import { isShown, parseAnswer } from '../intake/questionnaire/answers';
import type { IntakeEntity } from '../intakes/intake.entity';
import {
  optionCoding,
  PROTOCOL_ITEM_TEXT,
  PROTOCOL_LINK_ID,
  protocolCoding,
} from './answer-codings';
import type { FhirBase } from './fhir-base';
import { itemTypeOf } from './item-types';
import { questionnaireCanonical, sectionLinkId } from './questionnaire.mapper';

/** What the mapping reads of a submitted intake. */
export type SubmittedIntake = Pick<
  IntakeEntity,
  'id' | 'patientId' | 'protocol' | 'questionnaireVersion' | 'answers' | 'submittedAt'
>;

/**
 * A submitted intake as a completed QuestionnaireResponse, nested by step as
 * the Questionnaire is. Only the answers the patient gave appear: a blank
 * question is absent, never "no" or 0, and so is a question that did not
 * apply to them (its condition false), as the product itself treats it. A
 * step with no answer is absent too.
 *
 * `questionnaire` is the version the intake was answered in
 * (`Content.questionnaireVersion(intake.questionnaireVersion)`). A stored
 * answer that the version cannot read, or that names a question it does not
 * ask, throws rather than be dropped or guessed; the message names the
 * question, never the answer.
 */
export function mapQuestionnaireResponse(
  base: FhirBase,
  intake: SubmittedIntake,
  questionnaire: Questionnaire,
): QuestionnaireResponse {
  if (!intake.submittedAt) throw new Error(`Intake ${intake.id} has not been submitted`);
  if (intake.questionnaireVersion !== questionnaire.version) {
    throw new Error(
      `Intake ${intake.id} was answered in ${intake.questionnaireVersion}, not ${questionnaire.version}`,
    );
  }
  const answers = readAnswers(intake, questionnaire);
  return {
    resourceType: 'QuestionnaireResponse',
    id: intake.id,
    questionnaire: questionnaireCanonical(base, questionnaire.version),
    status: 'completed',
    subject: { reference: `Patient/${intake.patientId}` },
    // The patient answered it themselves, on their own link.
    author: { reference: `Patient/${intake.patientId}` },
    source: { reference: `Patient/${intake.patientId}` },
    authored: intake.submittedAt.toISOString(),
    item: [
      {
        linkId: PROTOCOL_LINK_ID,
        text: PROTOCOL_ITEM_TEXT,
        answer: [{ valueCoding: protocolCoding(base, intake.protocol) }],
      },
      ...questionnaire.sections.flatMap((section) => sectionItems(base, section, answers, intake)),
    ],
  };
}

function readAnswers(intake: SubmittedIntake, questionnaire: Questionnaire): Answers {
  const questions = questionnaire.sections.flatMap((section) => section.questions);
  const asked = new Set(questions.map((question) => question.id));
  const unknown = Object.keys(intake.answers).filter((id) => !asked.has(id));
  if (unknown.length > 0) {
    throw new Error(
      `Intake ${intake.id} answers questions ${questionnaire.version} does not ask: ${unknown.join(', ')}`,
    );
  }
  const answers: Record<string, AnswerValue> = {};
  for (const question of questions) {
    const parsed = parseAnswer(question, intake.answers[question.id], 'json');
    if (!parsed.ok) {
      throw new Error(`Intake ${intake.id}: the stored answer to ${question.id} does not read`);
    }
    if (parsed.value !== undefined) answers[question.id] = parsed.value;
  }
  return answers;
}

function sectionItems(
  base: FhirBase,
  section: Section,
  answers: Answers,
  intake: SubmittedIntake,
): QuestionnaireResponseItem[] {
  const item = section.questions.flatMap((question): QuestionnaireResponseItem[] => {
    const value = answers[question.id];
    if (value === undefined || !isShown(question, answers, intake.protocol)) return [];
    return [{ linkId: question.id, text: question.label, answer: answerOf(base, question, value) }];
  });
  return item.length > 0 ? [{ linkId: sectionLinkId(section.id), text: section.title, item }] : [];
}

/** The answer typed as its item: a coding per option chosen, an integer or decimal, a time, text. */
function answerOf(
  base: FhirBase,
  question: Question,
  value: AnswerValue,
): QuestionnaireResponseItemAnswer[] {
  switch (question.type) {
    case 'single':
    case 'yesNoUnsure':
      return [{ valueCoding: optionCoding(base, question, value) }];
    case 'multiple':
      return (value as readonly string[]).map((chosen) => ({
        valueCoding: optionCoding(base, question, chosen),
      }));
    case 'number':
      return [
        itemTypeOf(question) === 'integer'
          ? { valueInteger: value as number }
          : { valueDecimal: value as number },
      ];
    case 'time':
      // The form keeps HH:MM; FHIR's time has seconds.
      return [{ valueTime: `${value as string}:00` }];
    case 'text':
      return [{ valueString: value as string }];
  }
}
