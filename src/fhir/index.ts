/*
 * The FHIR R4 and CDS Hooks mapping layer: plain functions from the
 * product's own objects to the resources the /fhir routes serve, with no
 * Nest, no I/O and no clock. What the routes call is exported here; the
 * rest of the folder is how it is made.
 */
export { fhirBase, fullUrlOf, type FhirBase } from './fhir-base';
export {
  mapQuestionnaire,
  mapQuestionnaires,
  questionnaireCanonical,
  questionnaireId,
  questionnaireUrl,
} from './questionnaire.mapper';
export { mapQuestionnaireResponse, type SubmittedIntake } from './questionnaire-response.mapper';
export { mapObservations, type ScoredIntake } from './observation.mapper';
export { INSTRUMENT_CODES, type InstrumentCode } from './instrument-codes';
export { mapPatient, type PatientIdentity } from './patient.mapper';
export { everythingBundle, searchBundle, type PatientRecord } from './everything-bundle';
export { capabilityStatement, type Software } from './capability-statement';
export {
  CDS_SERVICE_ID,
  cdsCards,
  cdsDiscovery,
  type CdsCard,
  type CdsDiscovery,
  type CdsResponse,
  type CdsService,
} from './cds-hooks';
