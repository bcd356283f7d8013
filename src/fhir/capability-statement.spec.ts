import { capabilityStatement } from './capability-statement';
import { fhirBase } from './fhir-base';

const statement = capabilityStatement(fhirBase('https://clinic.example/fhir'), {
  name: 'hormone-lifestyle-intake',
  version: '0.1.0',
});

describe('capabilityStatement', () => {
  it('declares this server: FHIR 4.0.1, JSON, the software and its address', () => {
    expect(statement).toEqual(
      expect.objectContaining({
        resourceType: 'CapabilityStatement',
        status: 'active',
        kind: 'instance',
        fhirVersion: '4.0.1',
        format: ['json'],
        software: { name: 'hormone-lifestyle-intake', version: '0.1.0' },
        implementation: expect.objectContaining({ url: 'https://clinic.example/fhir' }),
      }),
    );
  });

  it('serves the four resource types, read and search, with their search parameters', () => {
    const [rest] = statement.rest ?? [];
    expect(rest.mode).toBe('server');
    expect(
      rest.resource?.map((r) => [
        r.type,
        r.interaction?.map((i) => i.code),
        r.searchParam?.map((p) => p.name),
        r.operation?.map((o) => o.name),
      ]),
    ).toEqual([
      ['Patient', ['read', 'search-type'], ['_id'], ['everything']],
      ['Questionnaire', ['read', 'search-type'], ['url'], undefined],
      [
        'QuestionnaireResponse',
        ['read', 'search-type'],
        ['patient', 'subject', 'questionnaire'],
        undefined,
      ],
      ['Observation', ['read', 'search-type'], ['patient', 'subject'], undefined],
    ]);
  });

  it('asks for the API key as a bearer token', () => {
    expect(statement.rest?.[0].security?.description).toMatch(/Authorization: Bearer/);
  });
});
