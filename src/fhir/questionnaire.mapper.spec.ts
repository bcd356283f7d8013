import type { QuestionnaireItem } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { Protocol, PROTOCOLS } from '../common/protocol';
import { loadContent } from '../content/content';
import type { Answers, Question, Questionnaire } from '../content/schema/questionnaire.schema';
import { isShown } from '../intake/questionnaire/answers';
import { enabledLinkIds } from '../../test/support/fhir-enable-when';
import { intakeAnswers } from '../../test/support/intake-arbitrary';
import { enableWhenOf } from './enable-when';
import { fhirBase } from './fhir-base';
import { mapQuestionnaire, mapQuestionnaires } from './questionnaire.mapper';
import { mapQuestionnaireResponse } from './questionnaire-response.mapper';

const content = loadContent();
const base = fhirBase('https://clinic.example/fhir/');
const versions = content.questionnaires;

const flatten = (items: readonly QuestionnaireItem[] = []): QuestionnaireItem[] =>
  items.flatMap((item) => [item, ...flatten(item.item)]);
const questionsOf = (questionnaire: Questionnaire): Question[] =>
  questionnaire.sections.flatMap((section) => section.questions);

describe('mapQuestionnaires', () => {
  const mapped = mapQuestionnaires(base, versions);

  it('maps every version the product ships under one canonical, the last active', () => {
    expect(mapped.map((q) => [q.id, q.url, q.version, q.status])).toEqual(
      versions.map((v, i) => [
        `intake-${v.version}`,
        'https://clinic.example/fhir/Questionnaire/intake',
        v.version,
        i === versions.length - 1 ? 'active' : 'retired',
      ]),
    );
  });

  describe.each(versions.map((v, i) => [v.version, v, mapped[i]] as const))(
    'version %s',
    (_version, questionnaire, fhir) => {
      const items = flatten(fhir.item);
      const byLinkId = new Map(items.map((item) => [item.linkId, item]));

      it('has unique linkIds: the protocol, a group per step, then its questions as linkId = id', () => {
        expect(new Set(items.map((item) => item.linkId)).size).toBe(items.length);
        expect(fhir.item?.map((item) => [item.linkId, item.type])).toEqual([
          ['intake.protocol', 'choice'],
          ...questionnaire.sections.map((s) => [`section.${s.id}`, 'group']),
        ]);
        for (const section of questionnaire.sections) {
          const group = byLinkId.get(`section.${section.id}`);
          expect(
            group?.item?.filter((item) => item.type !== 'display').map((i) => i.linkId),
          ).toEqual(section.questions.map((q) => q.id));
        }
      });

      it('types each question as the form reads it', () => {
        const expected: Record<Question['type'], (q: Question) => string> = {
          single: () => 'choice',
          multiple: () => 'choice',
          yesNoUnsure: () => 'choice',
          number: (q) => (q.type === 'number' && q.step === 1 ? 'integer' : 'decimal'),
          time: () => 'time',
          text: () => 'text',
        };
        for (const question of questionsOf(questionnaire)) {
          const item = byLinkId.get(question.id);
          expect([
            question.id,
            item?.type,
            item?.repeats ?? false,
            item?.required ?? false,
          ]).toEqual([
            question.id,
            expected[question.type](question),
            question.type === 'multiple',
            question.required,
          ]);
        }
      });

      it("offers each option with the product's value as its code, in one system per question", () => {
        for (const question of questionsOf(questionnaire)) {
          if (question.type !== 'single' && question.type !== 'multiple') continue;
          expect(byLinkId.get(question.id)?.answerOption?.map((o) => o.valueCoding)).toEqual(
            question.options.map((o) => ({
              system: `https://clinic.example/fhir/CodeSystem/answer-${question.id}`,
              code: String(o.value),
              display: o.label,
            })),
          );
        }
      });

      it('gives every number its UCUM unit and its range, and free text its length', () => {
        const limits = questionsOf(questionnaire).flatMap((question) => {
          const item = byLinkId.get(question.id);
          if (question.type === 'text') return [[question.id, item?.maxLength]];
          if (question.type !== 'number') return [];
          const [unit, min, max] = item?.extension ?? [];
          return [
            [
              question.id,
              unit.valueCoding?.system,
              unit.valueCoding?.display,
              min.valueInteger ?? min.valueDecimal,
              max.valueInteger ?? max.valueDecimal,
            ],
          ];
        });
        expect(limits).toEqual(
          questionsOf(questionnaire).flatMap((question) => {
            if (question.type === 'text') return [[question.id, question.maxLength]];
            if (question.type !== 'number') return [];
            return [
              [question.id, 'http://unitsofmeasure.org', question.unit, question.min, question.max],
            ];
          }),
        );
      });
    },
  );
});

/*
 * The enableWhen of every item means what the product's isShown decides:
 * compared, question by question, on the answers below and on thousands of
 * generated intakes, for every protocol, under both readings of `!=` on a
 * blank answer.
 */
describe('enableWhen shows exactly the questions the product shows', () => {
  const expectSameVisibility = (
    questionnaire: Questionnaire,
    answers: Answers,
    protocol: Protocol,
  ) => {
    const fhir = mapQuestionnaire(base, questionnaire, 'active');
    const response = mapQuestionnaireResponse(
      base,
      {
        id: 'generated',
        patientId: 'generated',
        protocol,
        questionnaireVersion: questionnaire.version,
        answers,
        submittedAt: new Date(0),
      },
      questionnaire,
    );
    for (const blankIsNotEqual of [false, true]) {
      const enabled = enabledLinkIds(fhir, response, blankIsNotEqual);
      const differ = questionsOf(questionnaire)
        .filter((q) => enabled.has(q.id) !== isShown(q, answers, protocol))
        .map((q) => q.id);
      expect({ protocol, blankIsNotEqual, differ }).toEqual({
        protocol,
        blankIsNotEqual,
        differ: [],
      });
    }
  };

  const current = content.questionnaire;
  const cases: [string, Answers, Protocol][] = [
    ['nothing answered', {}, 'trt'],
    ['never drinks (AUDIT-C follow-ups hidden)', { auditFrequency: 0 }, 'trt'],
    ['drinks monthly (follow-ups shown)', { auditFrequency: 1 }, 'trt'],
    ['no strength days (session length hidden)', { resistanceDaysPerWeek: 0 }, 'other'],
    ['strength on 3 days (session length shown)', { resistanceDaysPerWeek: 3 }, 'other'],
    [
      'vigorous and walking days, no moderate ones',
      { vigorousDays: 2, moderateDays: 0, walkingDays: 7 },
      'female_hormone_therapy',
    ],
    ['peptide protocol (exercise timing shown)', {}, 'gh_peptide_therapy'],
    ['post-TRT recovery (exercise timing hidden)', { auditFrequency: 4 }, 'post_trt_recovery'],
  ];
  it.each(cases)('%s', (_name, answers, protocol) => {
    expectSameVisibility(current, answers, protocol);
  });

  describe.each(versions.map((v) => [v.version, v] as const))(
    'version %s',
    (_version, questionnaire) => {
      it.each(PROTOCOLS)('on generated intakes for %s', (protocol) => {
        // Answers drawn for any protocol, so protocol-only questions arrive answered or not.
        const draw = fc.tuple(fc.constantFrom(...PROTOCOLS), fc.integer({ min: 0, max: 999 }));
        fc.assert(
          fc.property(
            draw.chain(([drawnFor, blank]) => intakeAnswers(questionnaire, drawnFor, blank / 1000)),
            (answers) => expectSameVisibility(questionnaire, answers, protocol),
          ),
          { numRuns: 300, seed: 20261206 },
        );
      });
    },
  );
});

describe('a condition FHIR cannot express with the same meaning', () => {
  const questions = new Map(questionsOf(content.questionnaire).map((q) => [q.id, q]));

  it('throws for "greater than" on a choice, which FHIR does not compare', () => {
    expect(() =>
      enableWhenOf(base, { question: 'auditFrequency', greaterThan: 0 }, questions),
    ).toThrow(/auditFrequency, a single question, has no FHIR form/);
  });

  it('throws for "not equal" to a value that is none of the options', () => {
    // The product would show the question for every answer: "0" (text) is never 0 (a number).
    expect(() =>
      enableWhenOf(base, { question: 'auditFrequency', notEquals: '0' }, questions),
    ).toThrow(/auditFrequency has no option "0"/);
  });

  it('throws for "not equal" on a list of choices, which the product never equals to one value', () => {
    expect(() => enableWhenOf(base, { question: 'goals', notEquals: 'energy' }, questions)).toThrow(
      /goals \(multiple\)/,
    );
  });
});
