import type {
  Bundle,
  BundleEntry,
  Observation,
  Patient,
  Questionnaire,
  QuestionnaireResponse,
  Resource,
} from '@medplum/fhirtypes';
import { FhirBase, fullUrlOf } from './fhir-base';

/** What `Patient/{id}/$everything` gathers for one patient. */
export interface PatientRecord {
  readonly patient: Patient;
  readonly responses: readonly QuestionnaireResponse[];
  readonly observations: readonly Observation[];
  /** Every version the server has; the bundle keeps those the responses name. */
  readonly questionnaires: readonly Questionnaire[];
}

/**
 * The searchset of `Patient/{id}/$everything`: the patient, their
 * QuestionnaireResponses and Observations as matches, and the Questionnaire
 * versions those responses were answered in as includes, so an EHR can read
 * every answer against its question. `total` counts the matches, as a
 * searchset's does. A response naming a version the server does not have
 * throws: the bundle would otherwise point at nothing.
 */
export function everythingBundle(base: FhirBase, record: PatientRecord): Bundle {
  const named = new Set(record.responses.flatMap((response) => response.questionnaire ?? []));
  const included = record.questionnaires.filter((q) => named.has(`${q.url}|${q.version}`));
  const missing = [...named].filter(
    (canonical) => !included.some((q) => `${q.url}|${q.version}` === canonical),
  );
  if (missing.length > 0) throw new Error(`No Questionnaire for ${missing.join(', ')}`);

  const matches = [record.patient, ...record.responses, ...record.observations];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    entry: [
      ...matches.map((resource) => entryOf(base, resource, 'match')),
      ...included.map((resource) => entryOf(base, resource, 'include')),
    ],
  };
}

/** The searchset of a search: every resource found is a match. */
export function searchBundle(base: FhirBase, resources: readonly Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource) => entryOf(base, resource, 'match')),
  };
}

function entryOf(base: FhirBase, resource: Resource, mode: 'match' | 'include'): BundleEntry {
  return { fullUrl: fullUrlOf(base, resource), resource, search: { mode } };
}
