import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import request from 'supertest';
import { API_KEY_SCOPE_NAMES } from '../src/api-keys/api-key-scopes';
import { ApiKeysService } from '../src/api-keys/api-keys.service';
import { FhirValidationTally } from './support/fhir-validator';
import { TYPICAL_ANSWERS } from './support/intake-flow';
import { openLink } from './support/patient-link';
import { createClinic, createUser, startTestApp, TestApp } from './support/test-app';

/*
 * The FHIR R4 server and the CDS Hooks service as an EHR uses them, with an
 * API key only, over HTTP: a patient made and invited through the API, the
 * intake sent by the patient through the pages' JSON twin, then every kind
 * of resource read back, each validated offline against the R4 definitions
 * (counts printed), and another clinic's key seeing nothing.
 */
describe('FHIR R4 and CDS Hooks, with an API key', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let patientId: string;
  let clinicId: string;
  let adminId: string;
  const tally = new FhirValidationTally();

  beforeAll(async () => {
    t = await startTestApp();
    const keyOf = async (name: string) => {
      const clinic = await createClinic(t.dataSource, name);
      const admin = await createUser(t.dataSource, clinic, {
        email: `admin@${name}.test`,
        role: 'admin',
      });
      if (name === 'fhir-clinic') {
        clinicId = clinic.id;
        adminId = admin.user.id;
      }
      return (
        await t.app
          .get(ApiKeysService)
          .create(
            { clinicId: clinic.id, userId: admin.user.id },
            { name: 'EHR', scopes: [...API_KEY_SCOPE_NAMES] },
            { requestId: undefined, ip: undefined },
          )
      ).key;
    };
    key = await keyOf('fhir-clinic');
    otherKey = await keyOf('other-clinic');
    const made = await request(t.server)
      .post('/api/patients')
      .set('Authorization', `Bearer ${key}`)
      .send({ givenName: 'Fay', familyName: 'Hir', reference: 'EHR-9' });
    patientId = (made.body as { id: string }).id;
    const link = await request(t.server)
      .post(`/api/patients/${patientId}/invitations`)
      .set('Authorization', `Bearer ${key}`)
      .send({ protocol: 'trt' });
    const session = await openLink(t.server, link.body as { id: string; link: string });
    await session.client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', session.token)
      .send(TYPICAL_ANSWERS);
    const sent = await session.client.agent
      .post('/api/intake/submit')
      .set('X-CSRF-Token', session.token);
    if (sent.status !== 201) throw new Error(`Setup: submit gave ${sent.status}`);
  });
  afterAll(async () => {
    process.stdout.write(`FHIR resources validated over HTTP:\n${tally.report()}\n`);
    await t.close();
  });

  /** A GET as the EHR does it; the body, checked to be FHIR JSON and valid R4 (every resource in it too). */
  async function read<T extends Resource>(path: string, as = key): Promise<T> {
    const response = await request(t.server).get(path).set('Authorization', `Bearer ${as}`);
    expect(`${path} -> ${response.status}`).toBe(`${path} -> 200`);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const resource = response.body as T;
    expect(tally.validate(resource).errors).toEqual([]);
    for (const entry of (resource as Bundle).entry ?? []) {
      expect(tally.validate(entry.resource!).errors).toEqual([]);
    }
    return resource;
  }

  it('serves the CapabilityStatement to anyone, and the questionnaires by key', async () => {
    const metadata = await request(t.server).get('/fhir/metadata');
    expect(metadata.status).toBe(200);
    expect(tally.validate(metadata.body as Resource).errors).toEqual([]);
    const questionnaires = await read<Bundle>('/fhir/Questionnaire');
    expect(questionnaires.total).toBe(2);
    const [first] = questionnaires.entry!;
    await read(`/fhir/Questionnaire/${first.resource!.id}`);
  });

  it('serves the patient, the sent intake as a QuestionnaireResponse, and the instrument totals as Observations', async () => {
    const patient = await read(`/fhir/Patient/${patientId}`);
    expect(patient).toMatchObject({ resourceType: 'Patient', id: patientId });
    const byId = await read<Bundle>(`/fhir/Patient?_id=${patientId}`);
    expect(byId.total).toBe(1);

    const responses = await read<Bundle>(`/fhir/QuestionnaireResponse?patient=${patientId}`);
    expect(responses.total).toBe(1);
    const response = responses.entry![0].resource!;
    const [version] = (response as { questionnaire: string }).questionnaire.split('|').slice(1);
    const filtered = await read<Bundle>(
      `/fhir/QuestionnaireResponse?patient=${patientId}&questionnaire=intake-${version}`,
    );
    expect(filtered.total).toBe(1);
    const other = version === '2026-12.1' ? 'intake-2026-11.1' : 'intake-2026-12.1';
    expect(
      (
        await read<Bundle>(
          `/fhir/QuestionnaireResponse?patient=${patientId}&questionnaire=${other}`,
        )
      ).total,
    ).toBe(0);
    const unreadable = await request(t.server)
      .get(`/fhir/QuestionnaireResponse?patient=${'-'.repeat(36)}`)
      .set('Authorization', `Bearer ${key}`);
    expect(unreadable.status).toBe(400);
    expect(unreadable.body).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(response).toMatchObject({
      status: 'completed',
      subject: { reference: `Patient/${patientId}` },
    });
    await read(`/fhir/QuestionnaireResponse/${response.id}`);

    const observations = await read<Bundle>(`/fhir/Observation?subject=Patient/${patientId}`);
    const codes = observations.entry!.flatMap(({ resource }) =>
      ((resource as Observation).code.coding ?? []).map(
        (coding) => `${coding.system}|${coding.code}`,
      ),
    );
    expect(codes).toContain('http://loinc.org|75626-2');
    const first = observations.entry![0].resource!;
    await read(`/fhir/Observation/${first.id}`);

    const everything = await read<Bundle>(`/fhir/Patient/${patientId}/$everything`);
    const types = everything.entry!.map(({ resource }) => resource!.resourceType);
    expect(new Set(types)).toEqual(
      new Set(['Patient', 'QuestionnaireResponse', 'Observation', 'Questionnaire']),
    );
    expect(tally.counts()).toMatchObject({
      Bundle: expect.any(Number),
      CapabilityStatement: 1,
      Patient: expect.any(Number),
      Questionnaire: expect.any(Number),
      QuestionnaireResponse: expect.any(Number),
      Observation: expect.any(Number),
    });
  });

  it('answers the CDS Hooks service with information cards and no suggestions', async () => {
    const discovery = await request(t.server).get('/cds-services');
    expect(discovery.status).toBe(200);
    const [service] = (discovery.body as { services: { id: string; hook: string }[] }).services;
    expect(service.hook).toBe('patient-view');
    const called = await request(t.server)
      .post(`/cds-services/${service.id}`)
      .set('Authorization', `Bearer ${key}`)
      .send({ hook: 'patient-view', hookInstance: 'b5b0ee0d', context: { patientId } });
    expect(called.status).toBe(200);
    const { cards } = called.body as {
      cards: {
        summary: string;
        detail: string;
        indicator: string;
        source: { label: string };
        suggestions?: unknown;
      }[];
    };
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      expect(card.detail).toMatch(
        /^_Patient-reported intake sent \d{4}-\d{2}-\d{2}, questionnaire .*; not yet reviewed by a clinician\._/,
      );
      expect(card.summary.length).toBeLessThan(140);
      expect(card.source.label).toBeTruthy();
      expect(card.suggestions).toBeUndefined();
    }
  });

  it('gives $everything only to a key that may also read patients', async () => {
    const narrow = (
      await t.app
        .get(ApiKeysService)
        .create(
          { clinicId: clinicId, userId: adminId },
          { name: 'Research feed', scopes: ['intakes:read'] },
          { requestId: undefined, ip: undefined },
        )
    ).key;
    const refused = await request(t.server)
      .get(`/fhir/Patient/${patientId}/$everything`)
      .set('Authorization', `Bearer ${narrow}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ resourceType: 'OperationOutcome' });
  });

  it("shows another clinic's key nothing: not found, or found nothing", async () => {
    const other = (path: string) =>
      request(t.server).get(path).set('Authorization', `Bearer ${otherKey}`);
    const patient = await other(`/fhir/Patient/${patientId}`);
    expect(patient.status).toBe(404);
    expect(patient.body).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(
      ((await other(`/fhir/QuestionnaireResponse?patient=${patientId}`)).body as Bundle).total,
    ).toBe(0);
    expect(((await other(`/fhir/Observation?patient=${patientId}`)).body as Bundle).total).toBe(0);
    expect((await other(`/fhir/Patient/${patientId}/$everything`)).status).toBe(404);
    // An empty answer would read as "no concerns": a patient the clinic does not have is 404.
    const cds = await request(t.server)
      .post('/cds-services/lifestyle-discussion-points')
      .set('Authorization', `Bearer ${otherKey}`)
      .send({ hook: 'patient-view', hookInstance: 'x', context: { patientId } });
    expect(cds.status).toBe(404);
    const unsigned = await request(t.server).get(`/fhir/Patient/${patientId}`);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toMatchObject({ resourceType: 'OperationOutcome' });
  });
});
