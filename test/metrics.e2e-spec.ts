import { randomBytes } from 'node:crypto';
import { submitIntake } from './support/intake-flow';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';
import { freePort } from './support/throwaway-postgres';

/*
 * Prometheus metrics on their own port, behind a token: request latency by
 * route pattern, handout render time, queue depth, job failures and the
 * database pool. No id, token or health value ever appears in them.
 */
describe('metrics for operators', () => {
  const TOKEN = 'metrics-token-of-enough-length-1234';
  let t: TestApp;
  let clinician: Browser;
  let metricsUrl: string;
  let patientId: string;
  let linkToken: string;

  beforeAll(async () => {
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    t = await startTestApp({ METRICS_PORT: String(port), METRICS_TOKEN: TOKEN, HOST: '127.0.0.1' });
    const clinic = await createClinic(t.dataSource, 'Metrics Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@metrics.test' });
    const patient = await createPatient(t.dataSource, user);
    patientId = patient.id;
    clinician = await signIn(t.server, user);
    const { assessment } = await submitIntake(t.server, t.dataSource, clinician, patient);
    // What the metrics below count: one handout made, one patient read, one unknown link.
    const handout = await clinician.agent.get(
      `/api/assessments/${assessment.id}/handouts/clinician`,
    );
    const read = await clinician.agent.get(`/api/patients/${patientId}`);
    if (handout.status !== 200 || read.status !== 200)
      throw new Error(`setup failed: ${handout.status}, ${read.status}`);
    linkToken = randomBytes(32).toString('base64url');
    await clinician.agent.get(`/i/${linkToken}`).set('Accept', 'text/html');
  }, 120_000);
  afterAll(() => t.close());

  it('asks for the token', async () => {
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
  });

  it('reports latency by route pattern, render time, queue depth and the pool, and nothing identifying', async () => {
    const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/patients\/:id",status="200"\} 1/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/i\/:token",status="404"\} 1/,
    );
    expect(text).toMatch(/handout_render_seconds_count\{kind="clinician"\} 1/);
    expect(text).toMatch(/handout_queue_jobs\{state="active"\} 0/);
    expect(text).toMatch(/db_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/process_cpu_seconds_total \d/);
    for (const secret of [patientId, linkToken, 'Metrics Clinic', 'doc@metrics.test'])
      expect(text).not.toContain(secret);
  });
});
