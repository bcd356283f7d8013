import type {
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
} from '@medplum/fhirtypes';
import fc from 'fast-check';
import { isDeepStrictEqual as deepEqual } from 'node:util';
import { PROTOCOLS } from '../common/protocol';
import { loadContent } from '../content/content';
import type { Answers } from '../content/schema/questionnaire.schema';
import { isShown } from '../intake/questionnaire/answers';
import { EARLIER_VERSION_CASE, FHIR_CASES } from '../../test/support/fhir-intakes';
import { intakeAnswers } from '../../test/support/intake-arbitrary';
import { fhirBase } from './fhir-base';
import { mapQuestionnaires } from './questionnaire.mapper';
import { mapQuestionnaireResponse, SubmittedIntake } from './questionnaire-response.mapper';

const content = loadContent();
const base = fhirBase('https://clinic.example/fhir');
const fhirQuestionnaires = mapQuestionnaires(base, content.questionnaires);
const cases = [...FHIR_CASES, EARLIER_VERSION_CASE];

const map = (intake: SubmittedIntake): QuestionnaireResponse =>
  mapQuestionnaireResponse(base, intake, content.questionnaireVersion(intake.questionnaireVersion));

const answered = (items: readonly QuestionnaireResponseItem[] = []): QuestionnaireResponseItem[] =>
  items.flatMap((item) => [...(item.answer ? [item] : []), ...answered(item.item)]);
const allItems = (items: readonly QuestionnaireItem[] = []): QuestionnaireItem[] =>
  items.flatMap((item) => [item, ...allItems(item.item)]);
const intakeOf = (answers: Answers, protocol = FHIR_CASES[0].protocol): SubmittedIntake => ({
  ...FHIR_CASES[0].intake,
  protocol,
  answers,
});

describe('mapQuestionnaireResponse', () => {
  it('names the version answered, the patient and the submission time', () => {
    const { intake } = EARLIER_VERSION_CASE;
    expect(map(intake)).toEqual(
      expect.objectContaining({
        resourceType: 'QuestionnaireResponse',
        id: intake.id,
        questionnaire: 'https://clinic.example/fhir/Questionnaire/intake|2026-11.1',
        status: 'completed',
        subject: { reference: `Patient/${intake.patientId}` },
        authored: '2026-08-14T16:05:00.000Z',
      }),
    );
  });

  it.each(cases.map((c) => [`${c.persona} (${c.intake.questionnaireVersion})`, c] as const))(
    'answers exactly the questions %s answered, nested in their steps',
    (_name, { intake }) => {
      const response = map(intake);
      const items = answered(response.item).filter((item) => item.linkId !== 'intake.protocol');
      expect(items.map((item) => item.linkId).sort()).toEqual(Object.keys(intake.answers).sort());
      const questionnaire = content.questionnaireVersion(intake.questionnaireVersion);
      expect(response.item?.map((item) => item.linkId)).toEqual([
        'intake.protocol',
        ...questionnaire.sections
          .filter((s) => s.questions.some((q) => q.id in intake.answers))
          .map((s) => `section.${s.id}`),
      ]);
    },
  );

  it('leaves a blank question absent, never 0 or "no", and a step with no answer out', () => {
    const response = map(intakeOf({ sex: 'female', ageBand: '40-49' }));
    expect(response.item).toEqual([
      expect.objectContaining({ linkId: 'intake.protocol' }),
      expect.objectContaining({
        linkId: 'section.context',
        item: [
          expect.objectContaining({ linkId: 'sex' }),
          expect.objectContaining({ linkId: 'ageBand' }),
        ],
      }),
    ]);
  });

  it('types each answer as its item: codings, whole and half numbers, times, text', () => {
    const response = map(
      intakeOf({
        sex: 'male',
        ageBand: '30-39',
        goals: ['energy', 'sleep'],
        auditFrequency: 0,
        resistanceDaysPerWeek: 2,
        sittingHoursPerWeekday: 7.5,
        weekdayBedtime: '23:15',
        loudSnoring: 'not_sure',
        routineNotes: 'Night shifts every other week.',
      }),
    );
    const answers = Object.fromEntries(answered(response.item).map((i) => [i.linkId, i.answer]));
    const system = (id: string) => `https://clinic.example/fhir/CodeSystem/answer-${id}`;
    expect(answers).toEqual(
      expect.objectContaining({
        goals: [
          { valueCoding: { system: system('goals'), code: 'energy', display: 'Energy' } },
          { valueCoding: { system: system('goals'), code: 'sleep', display: 'Sleep' } },
        ],
        auditFrequency: [
          { valueCoding: { system: system('auditFrequency'), code: '0', display: 'Never' } },
        ],
        resistanceDaysPerWeek: [{ valueInteger: 2 }],
        sittingHoursPerWeekday: [{ valueDecimal: 7.5 }],
        weekdayBedtime: [{ valueTime: '23:15:00' }],
        loudSnoring: [
          { valueCoding: { system: system('loudSnoring'), code: 'not_sure', display: 'Not sure' } },
        ],
        routineNotes: [{ valueString: 'Night shifts every other week.' }],
      }),
    );
  });

  it('carries the protocol, which the protocol-only questions depend on', () => {
    expect(map(intakeOf({}, 'gh_peptide_therapy')).item?.[0]).toEqual({
      linkId: 'intake.protocol',
      text: 'The protocol the intake was sent for',
      answer: [
        {
          valueCoding: {
            system: 'https://clinic.example/fhir/CodeSystem/protocol',
            code: 'gh_peptide_therapy',
            display: 'Growth-hormone peptide therapy',
          },
        },
      ],
    });
  });

  it('leaves out an answer to a question that did not apply, as the product does', () => {
    const response = map(
      intakeOf(
        { auditFrequency: 0, auditTypicalDrinks: 2, exerciseTimingVsPeptide: 'varies' },
        'trt',
      ),
    );
    expect(answered(response.item).map((item) => item.linkId)).toEqual([
      'intake.protocol',
      'auditFrequency',
    ]);
  });

  describe('answers with the system and code of an option the Questionnaire offers', () => {
    const expectOfferedCodings = (response: QuestionnaireResponse) => {
      const questionnaire = fhirQuestionnaires.find(
        (q) => `${q.url}|${q.version}` === response.questionnaire,
      );
      const items = new Map(allItems(questionnaire?.item).map((item) => [item.linkId, item]));
      const unoffered = answered(response.item).flatMap((item) =>
        (item.answer ?? [])
          .filter((answer) => answer.valueCoding)
          .filter(
            (answer) =>
              !items
                .get(item.linkId)
                ?.answerOption?.some(
                  (option) =>
                    option.valueCoding?.system === answer.valueCoding?.system &&
                    option.valueCoding?.code === answer.valueCoding?.code &&
                    option.valueCoding?.display === answer.valueCoding?.display,
                ),
          )
          .map((answer) => `${item.linkId}: ${answer.valueCoding?.code}`),
      );
      expect(unoffered).toEqual([]);
    };

    it.each(cases.map((c) => [`${c.persona} (${c.intake.questionnaireVersion})`, c] as const))(
      'for %s',
      (_name, { intake }) => {
        expectOfferedCodings(map(intake));
      },
    );

    it('for generated intakes of every version and protocol', () => {
      const draw = fc
        .tuple(fc.constantFrom(...content.questionnaires), fc.constantFrom(...PROTOCOLS))
        .chain(([questionnaire, protocol]) =>
          intakeAnswers(questionnaire, protocol).map((answers) => ({
            ...intakeOf(answers, protocol),
            questionnaireVersion: questionnaire.version,
          })),
        );
      fc.assert(
        fc.property(draw, (intake) => {
          const response = map(intake);
          expectOfferedCodings(response);
          // And nothing a generated patient left blank (an empty list of choices too)
          // or was not asked appears.
          const answers = intake.answers as Answers;
          const blank = (id: string) => [undefined, []].some((b) => deepEqual(answers[id], b));
          const given = content
            .questionnaireVersion(intake.questionnaireVersion)
            .sections.flatMap((s) => s.questions)
            .filter((q) => !blank(q.id) && isShown(q, answers, intake.protocol))
            .map((q) => q.id);
          expect(answered(response.item).map((i) => i.linkId)).toEqual([
            'intake.protocol',
            ...given,
          ]);
        }),
        { numRuns: 500, seed: 20261206 },
      );
    });
  });

  describe('refuses rather than guesses', () => {
    it('an intake not yet submitted', () => {
      expect(() => map({ ...intakeOf({}), submittedAt: null })).toThrow(/has not been submitted/);
    });

    it('a questionnaire version other than the one answered', () => {
      expect(() =>
        mapQuestionnaireResponse(base, EARLIER_VERSION_CASE.intake, content.questionnaire),
      ).toThrow(/was answered in 2026-11.1, not 2026-12.1/);
    });

    it('an answer to a question the version does not ask', () => {
      const intake = { ...EARLIER_VERSION_CASE.intake, answers: { heightCm: 180 } };
      expect(() => map(intake)).toThrow(/does not ask: heightCm/);
    });

    it('a stored answer that does not read, naming the question but not the answer', () => {
      const attempt = () => map(intakeOf({ workHoursPerWeek: 'forty-two' }));
      expect(attempt).toThrow(/the stored answer to workHoursPerWeek does not read$/);
      expect(attempt).not.toThrow(/forty-two/);
    });
  });
});
