import { loadContent } from '../content/content';
import { EARLIER_VERSION_CASE, FHIR_CASES } from '../../test/support/fhir-intakes';
import { everythingBundle, PatientRecord } from './everything-bundle';
import { fhirBase } from './fhir-base';
import { mapObservations } from './observation.mapper';
import { mapPatient } from './patient.mapper';
import { mapQuestionnaires } from './questionnaire.mapper';
import { mapQuestionnaireResponse } from './questionnaire-response.mapper';

const content = loadContent();
const base = fhirBase('https://clinic.example/fhir');
const questionnaires = mapQuestionnaires(base, content.questionnaires);

/** The first TRT patient, with the intake they sent in each version. */
const record: PatientRecord = (() => {
  const intakes = [EARLIER_VERSION_CASE.intake, FHIR_CASES[0].intake];
  return {
    patient: mapPatient(base, FHIR_CASES[0].patient),
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
})();

describe('everythingBundle', () => {
  it('lists the patient, their responses and observations as matches, at their URLs', () => {
    const bundle = everythingBundle(base, record);
    const matches = [record.patient, ...record.responses, ...record.observations];
    expect(bundle.type).toBe('searchset');
    expect(bundle.total).toBe(matches.length);
    expect(bundle.entry?.filter((e) => e.search?.mode === 'match')).toEqual(
      matches.map((resource) => ({
        fullUrl: `https://clinic.example/fhir/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'match' },
      })),
    );
  });

  it('includes the Questionnaire versions the responses were answered in, and only those', () => {
    const included = (r: PatientRecord) =>
      everythingBundle(base, r)
        .entry?.filter((e) => e.search?.mode === 'include')
        .map((e) => e.fullUrl);
    expect(included(record)).toEqual([
      'https://clinic.example/fhir/Questionnaire/intake-2026-11.1',
      'https://clinic.example/fhir/Questionnaire/intake-2026-12.1',
    ]);
    expect(included({ ...record, responses: record.responses.slice(1) })).toEqual([
      'https://clinic.example/fhir/Questionnaire/intake-2026-12.1',
    ]);
  });

  it('refuses a response whose Questionnaire version it cannot include', () => {
    expect(() =>
      everythingBundle(base, { ...record, questionnaires: questionnaires.slice(1) }),
    ).toThrow('No Questionnaire for https://clinic.example/fhir/Questionnaire/intake|2026-11.1');
  });
});
