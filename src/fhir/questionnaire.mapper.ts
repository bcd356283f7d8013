import type {
  Extension,
  Questionnaire as FhirQuestionnaire,
  QuestionnaireItem,
  QuestionnaireItemAnswerOption,
} from '@medplum/fhirtypes';
import { PROTOCOLS } from '../common/protocol';
import type {
  NumberQuestion,
  Question,
  Questionnaire,
  Section,
  SectionId,
} from '../content/schema/questionnaire.schema';
import {
  ChoiceQuestion,
  isChoice,
  optionCoding,
  optionsOf,
  PROTOCOL_ITEM_TEXT,
  PROTOCOL_LINK_ID,
  protocolCoding,
} from './answer-codings';
import { enableWhenOf } from './enable-when';
import type { FhirBase } from './fhir-base';
import { itemTypeOf } from './item-types';
import { ucumCoding } from './ucum';

/*
 * Each questionnaire version (src/content/questionnaires) as a FHIR R4
 * Questionnaire in the SDC style: one group per step, linkId = the product's
 * question id, the product's option values as codes, and conditions as
 * enableWhen. Extensions are only core R4 ones (hidden, itemControl, unit,
 * minValue, maxValue, optionExclusive), so a base R4 validator knows them.
 */

const EXTENSION = {
  hidden: 'http://hl7.org/fhir/StructureDefinition/questionnaire-hidden',
  itemControl: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
  unit: 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit',
  minValue: 'http://hl7.org/fhir/StructureDefinition/minValue',
  maxValue: 'http://hl7.org/fhir/StructureDefinition/maxValue',
  optionExclusive: 'http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive',
} as const;

/** One canonical for every version; `version` tells them apart. */
export const questionnaireUrl = (base: FhirBase): string => `${base}/Questionnaire/intake`;

/** What a QuestionnaireResponse names: the canonical with the version it was answered in. */
export const questionnaireCanonical = (base: FhirBase, version: string): string =>
  `${questionnaireUrl(base)}|${version}`;

/** The resource id of a version, e.g. `intake-2026-12.1`. */
export const questionnaireId = (version: string): string => `intake-${version}`;

/** A step's group; the dot keeps it apart from every question id. */
export const sectionLinkId = (section: SectionId): string => `section.${section}`;

/** Every version, oldest first as the content lists them: the last is active, the rest retired. */
export function mapQuestionnaires(
  base: FhirBase,
  questionnaires: readonly Questionnaire[],
): FhirQuestionnaire[] {
  return questionnaires.map((questionnaire, index) =>
    mapQuestionnaire(
      base,
      questionnaire,
      index === questionnaires.length - 1 ? 'active' : 'retired',
    ),
  );
}

export function mapQuestionnaire(
  base: FhirBase,
  questionnaire: Questionnaire,
  status: 'active' | 'retired',
): FhirQuestionnaire {
  const questions = new Map(
    questionnaire.sections.flatMap((section) => section.questions).map((q) => [q.id, q]),
  );
  return {
    resourceType: 'Questionnaire',
    id: questionnaireId(questionnaire.version),
    url: questionnaireUrl(base),
    version: questionnaire.version,
    name: 'LifestyleIntake',
    title: 'Lifestyle intake',
    status,
    subjectType: ['Patient'],
    item: [
      protocolItem(base),
      ...questionnaire.sections.map((section) => sectionItem(base, section, questions)),
    ],
  };
}

/** Hidden and read-only: the intake's protocol, which conditions on a protocol test. */
function protocolItem(base: FhirBase): QuestionnaireItem {
  return {
    linkId: PROTOCOL_LINK_ID,
    text: PROTOCOL_ITEM_TEXT,
    type: 'choice',
    required: true,
    readOnly: true,
    extension: [{ url: EXTENSION.hidden, valueBoolean: true }],
    answerOption: PROTOCOLS.map((protocol) => ({ valueCoding: protocolCoding(base, protocol) })),
  };
}

function sectionItem(
  base: FhirBase,
  section: Section,
  questions: ReadonlyMap<string, Question>,
): QuestionnaireItem {
  const linkId = sectionLinkId(section.id);
  return {
    linkId,
    text: section.title,
    type: 'group',
    item: [
      { linkId: `${linkId}.intro`, text: section.intro, type: 'display' },
      ...section.questions.map((question) => questionItem(base, question, questions)),
    ],
  };
}

function questionItem(
  base: FhirBase,
  question: Question,
  questions: ReadonlyMap<string, Question>,
): QuestionnaireItem {
  return {
    linkId: question.id,
    text: question.label,
    type: itemTypeOf(question),
    ...(question.required ? { required: true } : {}),
    ...(question.type === 'multiple' ? { repeats: true } : {}),
    ...(question.type === 'text' ? { maxLength: question.maxLength } : {}),
    ...(question.type === 'number' ? { extension: numberExtensions(question) } : {}),
    ...(question.showIf ? enableWhenOf(base, question.showIf, questions) : {}),
    ...(isChoice(question) ? { answerOption: answerOptions(base, question) } : {}),
    ...(question.help ? { item: [helpItem(question.id, question.help)] } : {}),
  };
}

function answerOptions(base: FhirBase, question: ChoiceQuestion): QuestionnaireItemAnswerOption[] {
  const none = question.type === 'multiple' ? question.noneValue : undefined;
  return optionsOf(question).map((option) => ({
    valueCoding: optionCoding(base, question, option.value),
    // "None of these" cannot be combined with another choice.
    ...(option.value === none
      ? { extension: [{ url: EXTENSION.optionExclusive, valueBoolean: true }] }
      : {}),
  }));
}

/** The unit and the range the form accepts; the step (whole or half) is the item type. */
function numberExtensions(question: NumberQuestion): Extension[] {
  const bound = (value: number) =>
    itemTypeOf(question) === 'integer' ? { valueInteger: value } : { valueDecimal: value };
  return [
    { url: EXTENSION.unit, valueCoding: ucumCoding(question.unit) },
    { url: EXTENSION.minValue, ...bound(question.min) },
    { url: EXTENSION.maxValue, ...bound(question.max) },
  ];
}

/** The question's help, shown behind a help button as the form shows it under the question. */
function helpItem(questionId: string, help: string): QuestionnaireItem {
  return {
    linkId: `${questionId}.help`,
    text: help,
    type: 'display',
    extension: [
      {
        url: EXTENSION.itemControl,
        valueCodeableConcept: {
          coding: [
            {
              system: 'http://hl7.org/fhir/questionnaire-item-control',
              code: 'help',
              display: 'Help-Button',
            },
          ],
        },
      },
    ],
  };
}
