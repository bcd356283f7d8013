import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';
import type { FhirBase } from './fhir-base';

/**
 * When what this statement declares last changed; change it with the
 * declaration, as FHIR asks of `date`.
 */
const DECLARED_ON = '2026-12-06';

const searchParam = (
  name: string,
  type: 'token' | 'reference' | 'uri',
  definition: string,
): CapabilityStatementRestResourceSearchParam => ({
  name,
  type,
  definition: `http://hl7.org/fhir/SearchParameter/${definition}`,
});

/**
 * What the `/fhir` routes serve: read and search of the four resource types,
 * with these search parameters, and `$everything` on a patient. The routes
 * implement exactly this list; a parameter added there is added here.
 */
const RESOURCES: readonly CapabilityStatementRestResource[] = [
  {
    type: 'Patient',
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: [searchParam('_id', 'token', 'Resource-id')],
    operation: [
      {
        name: 'everything',
        definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
      },
    ],
  },
  {
    type: 'Questionnaire',
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: [searchParam('url', 'uri', 'Questionnaire-url')],
  },
  {
    type: 'QuestionnaireResponse',
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: [
      searchParam('patient', 'reference', 'QuestionnaireResponse-patient'),
      searchParam('subject', 'reference', 'QuestionnaireResponse-subject'),
      searchParam('questionnaire', 'reference', 'QuestionnaireResponse-questionnaire'),
    ],
  },
  {
    type: 'Observation',
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: [
      searchParam('patient', 'reference', 'clinical-patient'),
      searchParam('subject', 'reference', 'Observation-subject'),
    ],
  },
];

export interface Software {
  readonly name: string;
  readonly version: string;
}

/** The server's CapabilityStatement (`GET /fhir/metadata`): a read-only R4 server, JSON only. */
export function capabilityStatement(base: FhirBase, software: Software): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: DECLARED_ON,
    kind: 'instance',
    software: { name: software.name, version: software.version },
    implementation: { description: 'Lifestyle intake answers and scores', url: base },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            "Send the clinic's API key as a bearer token (`Authorization: Bearer <key>`). " +
            "A key reads its own clinic's patients only.",
        },
        resource: [...RESOURCES],
      },
    ],
  };
}
