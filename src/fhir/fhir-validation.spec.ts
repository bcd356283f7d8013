import type { Observation, Questionnaire, Resource } from '@medplum/fhirtypes';
import { loadContent } from '../content/content';
import { EARLIER_VERSION_CASE, FHIR_BASE_URL, FHIR_CASES } from '../../test/support/fhir-intakes';
import { FhirValidationTally, validateFhir } from '../../test/support/fhir-validator';
import { capabilityStatement } from './capability-statement';
import { everythingBundle } from './everything-bundle';
import { fhirBase } from './fhir-base';
import { mapObservations } from './observation.mapper';
import { mapPatient } from './patient.mapper';
import { mapQuestionnaires } from './questionnaire.mapper';
import { mapQuestionnaireResponse } from './questionnaire-response.mapper';

/*
 * Every kind of resource the mappers emit, validated offline against the
 * FHIR R4 definitions (test/support/fhir-validator.ts) with zero errors:
 * each questionnaire version the product ships, a submitted intake of each
 * protocol and one in the first version with their observations, the
 * patients and their $everything bundles, and the capability statement.
 * Warnings and information are allowed, and printed with the counts.
 */

const content = loadContent();
const base = fhirBase(FHIR_BASE_URL);
const questionnaires = mapQuestionnaires(base, content.questionnaires);
const cases = [...FHIR_CASES, EARLIER_VERSION_CASE];

const records = FHIR_CASES.map(({ patient }) => {
  const intakes = cases.filter((c) => c.patient.id === patient.id).map((c) => c.intake);
  return {
    patient: mapPatient(base, patient),
    responses: intakes.map((intake) =>
      mapQuestionnaireResponse(
        base,
        intake,
        content.questionnaireVersion(intake.questionnaireVersion),
      ),
    ),
    observations: intakes.flatMap((intake) => mapObservations(base, intake)),
    questionnaires,
  };
});

const produced: Resource[] = [
  ...questionnaires,
  ...records.flatMap((r) => [r.patient, ...r.responses, ...r.observations]),
  ...records.map((r) => everythingBundle(base, r)),
  capabilityStatement(base, { name: 'hormone-lifestyle-intake', version: '0.1.0' }),
];

const TYPES = [
  'Bundle',
  'CapabilityStatement',
  'Observation',
  'Patient',
  'Questionnaire',
  'QuestionnaireResponse',
];

describe('every resource the mappers emit is valid FHIR R4', () => {
  const tally = new FhirValidationTally();

  afterAll(() => {
    process.stdout.write(`FHIR R4 validation of the mappers' output:\n${tally.report()}\n`);
  });

  it.each(produced.map((r) => [`${r.resourceType}/${r.id ?? '(no id)'}`, r] as const))(
    '%s',
    (_name, resource) => {
      expect(tally.validate(resource).errors).toEqual([]);
    },
  );

  it('validated every resource produced, of every type the mappers emit', () => {
    const countOf = (type: string) => produced.filter((r) => r.resourceType === type).length;
    expect(tally.counts()).toEqual(Object.fromEntries(TYPES.map((type) => [type, countOf(type)])));
    for (const type of TYPES)
      expect({ type, count: countOf(type) > 0 }).toEqual({ type, count: true });
  });
});

/* The checks above pass only because the resources are right: each of these fails them. */
describe('the validator refuses what R4 refuses', () => {
  const [questionnaire] = questionnaires;
  const bmi = produced.find(
    (r): r is Observation => r.resourceType === 'Observation' && r.id?.endsWith('-bmi') === true,
  );
  const withFirstItem = (change: object): Questionnaire => ({
    ...questionnaire,
    item: [{ ...questionnaire.item![0], ...change }, ...questionnaire.item!.slice(1)],
  });
  const errorsOf = (resource: Resource) => validateFhir(resource).errors.join('\n');

  it('a property R4 does not define', () => {
    expect(errorsOf({ ...questionnaire, subtitle: 'x' } as Questionnaire)).toMatch(/subtitle/);
  });

  it('a time without seconds', () => {
    const response = produced.find((r) => r.resourceType === 'QuestionnaireResponse')!;
    const broken = { ...response, item: [{ linkId: 'x', answer: [{ valueTime: '22:30' }] }] };
    expect(errorsOf(broken)).toMatch(/Invalid time format/);
  });

  it('an extension that is not a core R4 one (SDC defines its own)', () => {
    const url = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-shortText';
    expect(errorsOf(withFirstItem({ extension: [{ url, valueString: 'x' }] }))).toMatch(
      /is not a core R4 extension/,
    );
  });

  it('a core extension with a value of the wrong type', () => {
    const url = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit';
    expect(errorsOf(withFirstItem({ extension: [{ url, valueString: 'kg' }] }))).toMatch(
      /questionnaire-unit takes valueCoding, not valueString/,
    );
  });

  it('a core extension where its context does not allow it', () => {
    const url = 'http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive';
    expect(errorsOf(withFirstItem({ extension: [{ url, valueBoolean: true }] }))).toMatch(
      /may sit on Questionnaire.item.answerOption only/,
    );
  });

  it('a BMI Observation that claims the R4 BMI profile without being filed as a vital sign', () => {
    const claimed = { ...bmi!, meta: { profile: ['http://hl7.org/fhir/StructureDefinition/bmi'] } };
    expect(errorsOf(claimed)).toMatch(/VSCat/);
  });

  it('an invalid resource inside a Bundle', () => {
    const bundle = everythingBundle(base, records[0]);
    const [first, ...rest] = bundle.entry!;
    const broken = {
      ...bundle,
      entry: [{ ...first, resource: { ...first.resource!, status: 7 } }, ...rest],
    };
    expect(errorsOf(broken as Resource)).toMatch(/entry\[0\]\.resource/);
  });
});
