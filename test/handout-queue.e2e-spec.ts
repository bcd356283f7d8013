import { HandoutEntity } from '../src/handouts/handout.entity';
import { PdfRenderer } from '../src/handouts/pdf-renderer';
import { submitIntake } from './support/intake-flow';
import { readPdf } from './support/pdf';
import { ThrowawayRedis } from './support/redis-server';
import { ServiceProcess } from './support/service-process';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

/*
 * With REDIS_URL, the web process makes no handout itself: it queues the
 * job on BullMQ and a render worker (src/worker.ts, its own process) makes
 * and stores it, against real Redis and PostgreSQL.
 */
describe('handouts through the queue: a web instance and a render worker', () => {
  let redis: ThrowawayRedis;
  let t: TestApp;
  let worker: ServiceProcess;
  let clinician: Browser;
  let assessmentId: string;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    t = await startTestApp({ REDIS_URL: redis.url });
    worker = new ServiceProcess(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: t.database.serviceUrl,
        REDIS_URL: redis.url,
        PDF_CONCURRENCY: '2',
      },
      { entry: 'worker' },
    );
    await worker.waitFor('Render worker ready', 60_000);
    const clinic = await createClinic(t.dataSource, 'Queue Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@queue.test' });
    const patient = await createPatient(t.dataSource, user);
    // An endpoint for handout.ready: the worker writes its deliveries (the web instance sends them).
    await t.dataSource.query(
      `INSERT INTO webhook_endpoints (clinic_id, url, events, secret_sealed, created_by)
       VALUES ($1, 'http://127.0.0.1:9/hook', '{handout.ready}', decode(repeat('ab', 60), 'hex'), $2)`,
      [clinic.id, user.user.id],
    );
    clinician = await signIn(t.server, user);
    ({
      assessment: { id: assessmentId },
    } = await submitIntake(t.server, t.dataSource, clinician, patient));
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await redis?.stop();
  });

  const download = (kind: 'clinician' | 'patient') =>
    clinician.agent
      .get(`/api/assessments/${assessmentId}/handouts/${kind}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  const stored = () =>
    t.dataSource.getRepository(HandoutEntity).find({
      where: { assessmentId },
      select: { id: true, kind: true, paper: true, reviewDigest: true, createdBy: true },
    });

  /** Waits until `count` handouts of the assessment are stored (the worker makes them ahead). */
  const storedAhead = async (count: number) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await stored();
      if (rows.length >= count || Date.now() > deadline) return rows;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('makes both handouts on both papers ahead, on submission, before anyone asks', async () => {
    const rows = await storedAhead(4);
    expect(rows.map((r) => `${r.kind}/${r.paper}`).sort()).toEqual([
      'clinician/a4',
      'clinician/letter',
      'patient/a4',
      'patient/letter',
    ]);
    expect(rows.every((r) => r.createdBy === null)).toBe(true);
    // Each stored in the worker's transaction with its handout.ready delivery.
    const ready = await t.dataSource.query<{ handout_id: string }[]>(
      `SELECT data->>'handoutId' AS handout_id FROM webhook_deliveries
       WHERE event_type = 'handout.ready' AND data->>'assessmentId' = $1`,
      [assessmentId],
    );
    expect(ready.map((row) => row.handout_id).sort()).toEqual(rows.map((r) => r.id).sort());

    // The first download is the stored bytes; the web process never starts a browser.
    const response = await download('clinician');
    expect(response.status).toBe(200);
    expect(readPdf(response.body as Buffer).text).toContain('Lifestyle discussion guide');
    expect(await stored()).toHaveLength(4);
    expect(t.app.get(PdfRenderer).status()).toBe('idle');
  });

  it('makes them again, ahead, when a mark changes the take-home', async () => {
    const [point] = await t.dataSource.query<{ id: string }[]>(
      `SELECT p->>'ruleId' AS id FROM assessments, jsonb_array_elements(results->'points') p
       WHERE id = $1 AND p->>'kind' = 'concern' LIMIT 1`,
      [assessmentId],
    );
    const marked = await clinician.postForm(`/assessments/${assessmentId}/points/${point.id}`, {
      mark: 'not_relevant',
      reason: 'Discussed at the last visit',
    });
    expect(marked.status).toBe(303);
    const rows = await storedAhead(8);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.reviewDigest)).size).toBe(2);
  });

  it('makes a handout once when many ask for it at the same moment', async () => {
    // A Letter guide for marks no job has made yet: six downloads share one job and one row.
    await t.dataSource.query(`DELETE FROM handouts WHERE assessment_id = $1`, [assessmentId]);
    const responses = await Promise.all(Array.from({ length: 6 }, () => download('patient')));
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(200));
    const bodies = new Set(responses.map((r) => (r.body as Buffer).toString('base64')));
    expect(bodies.size).toBe(1);
    const rows = (await stored()).filter((r) => r.kind === 'patient' && r.paper === 'a4');
    expect(rows).toHaveLength(1);
  });
});
