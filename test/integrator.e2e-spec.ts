import type { Bundle, Observation } from '@medplum/fhirtypes';
import request from 'supertest';
import { ApiKeysService } from '../src/api-keys/api-keys.service';
import { API_KEY_SCOPE_NAMES } from '../src/api-keys/api-key-scopes';
import { validateFhir } from './support/fhir-validator';
import { TYPICAL_ANSWERS } from './support/intake-flow';
import { openLink } from './support/patient-link';
import {
  Browser,
  createClinic,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';
import { ReceivedWebhook, verifyWebhook, WebhookReceiver } from './support/webhook-receiver';

/*
 * An integrator's day, end to end, as issue 18 asks: the clinic's admin makes
 * an API key and registers a webhook receiver once; from then on the EHR
 * uses the key alone. It creates a patient and invites them; the patient
 * sends the intake through the pages; the signed `intake.submitted` webhook
 * reaches the receiver (signature checked by the test's own HMAC code); the
 * EHR fetches the QuestionnaireResponse and the Observations (valid R4),
 * marks a point, completes the review and gets `review.completed`. Another
 * clinic's key sees none of it.
 */
describe('an integrator with an API key only', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let key: string;
  let otherKey: string;
  let secret: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Integrated Clinic');
    const admin = await createUser(t.dataSource, clinic, {
      email: 'admin@integrated.test',
      role: 'admin',
    });
    const keys = t.app.get(ApiKeysService);
    const meta = { requestId: undefined, ip: undefined };
    key = (
      await keys.create(
        { clinicId: clinic.id, userId: admin.user.id },
        { name: 'Practice EHR', scopes: [...API_KEY_SCOPE_NAMES] },
        meta,
      )
    ).key;
    const other = await createClinic(t.dataSource, 'Other Clinic');
    const otherAdmin = await createUser(t.dataSource, other, {
      email: 'admin@other.test',
      role: 'admin',
    });
    otherKey = (
      await keys.create(
        { clinicId: other.id, userId: otherAdmin.user.id },
        { name: 'Other EHR', scopes: [...API_KEY_SCOPE_NAMES] },
        meta,
      )
    ).key;
    // The admin registers the EHR's receiver on the Webhooks page, and copies the secret shown once.
    const page: Browser = await signIn(t.server, admin);
    const token = await page.csrf();
    const posted = await page.agent
      .post('/admin/webhooks')
      .type('form')
      .send(
        new URLSearchParams([
          ['_csrf', token],
          ['url', receiver.url('/ehr')],
          ['events', 'intake.submitted'],
          ['events', 'review.completed'],
        ]).toString(),
      );
    if (posted.status !== 303) throw new Error(`Registering the receiver gave ${posted.status}`);
    const html = (await page.agent.get('/admin/webhooks').set('Accept', 'text/html')).text;
    secret = /id="new-secret-value"[^>]*value="([^"]+)"/.exec(html)![1].replace(/&#x3D;/g, '=');
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const ehr = (as = key) => ({
    get: (path: string) => request(t.server).get(path).set('Authorization', `Bearer ${as}`),
    send: (method: 'post' | 'put', path: string, body: object) =>
      request(t.server)[method](path).set('Authorization', `Bearer ${as}`).send(body),
  });

  /** The webhook of `type` when it arrives (the service's own poller sends it), checked as signed. */
  async function webhookOf(type: string): Promise<Record<string, string>> {
    for (let waited = 0; waited < 20_000; waited += 100) {
      const found = receiver.received.find(
        (delivery: ReceivedWebhook) =>
          (JSON.parse(delivery.body) as { type: string }).type === type,
      );
      if (found) {
        expect(verifyWebhook(secret, found, new Date())).toBe(true);
        return (JSON.parse(found.body) as { data: Record<string, string> }).data;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`No ${type} webhook arrived`);
  }

  it('creates, invites, hears of the intake by webhook, reads it as FHIR, marks a point and completes the review', async () => {
    const created = await ehr().send('post', '/api/patients', {
      givenName: 'Ines',
      familyName: 'Tegrator',
      reference: 'EHR-2001',
    });
    expect(created.status).toBe(201);
    const patientId = (created.body as { id: string }).id;
    const invited = await ehr().send('post', `/api/patients/${patientId}/invitations`, {
      protocol: 'trt',
    });
    expect(invited.status).toBe(201);

    // The patient, on their own link, through the pages' JSON twin.
    const session = await openLink(t.server, invited.body as { id: string; link: string });
    await session.client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', session.token)
      .send(TYPICAL_ANSWERS);
    expect(
      (await session.client.agent.post('/api/intake/submit').set('X-CSRF-Token', session.token))
        .status,
    ).toBe(201);

    const submitted = await webhookOf('intake.submitted');
    expect(submitted.patientId).toBe(patientId);
    const intakeId = submitted.intakeId;

    const response = await ehr().get(`/fhir/QuestionnaireResponse/${intakeId}`);
    expect(response.status).toBe(200);
    expect(validateFhir(response.body as Bundle).errors).toEqual([]);
    const observations = await ehr().get(`/fhir/Observation?patient=${patientId}`);
    const bundle = observations.body as Bundle;
    expect(bundle.total).toBeGreaterThan(0);
    for (const entry of bundle.entry!) {
      expect(validateFhir(entry.resource as Observation).errors).toEqual([]);
    }

    const [assessment] = (await ehr().get(`/api/intakes/${intakeId}/assessments`)).body as {
      id: string;
      results: { points: { ruleId: string; kind: string }[] };
    }[];
    const point = assessment.results.points.find((p) => p.kind === 'concern')!;
    const marked = await ehr().send(
      'put',
      `/api/assessments/${assessment.id}/points/${point.ruleId}`,
      { mark: 'discussed', note: 'Raised at the visit.' },
    );
    expect(marked.status).toBe(200);
    const done = await ehr().send('post', `/api/intakes/${intakeId}/review`, {
      confirmUnmarked: true,
    });
    expect(done.status).toBe(200);
    expect((await webhookOf('review.completed')).intakeId).toBe(intakeId);

    // Another clinic's key: nothing of it.
    expect((await ehr(otherKey).get(`/api/patients/${patientId}`)).status).toBe(404);
    expect((await ehr(otherKey).get(`/api/intakes/${intakeId}`)).status).toBe(404);
    expect((await ehr(otherKey).get(`/fhir/QuestionnaireResponse/${intakeId}`)).status).toBe(404);
    const theirs = (await ehr(otherKey).get(`/fhir/Observation?patient=${patientId}`))
      .body as Bundle;
    expect(theirs.total).toBe(0);
    expect((await ehr(otherKey).send('post', `/api/intakes/${intakeId}/review`, {})).status).toBe(
      404,
    );
  });
});
