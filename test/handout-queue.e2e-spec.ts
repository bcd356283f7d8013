import { DataSource } from 'typeorm';
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
        DATABASE_URL: t.database.url,
        REDIS_URL: redis.url,
        PDF_CONCURRENCY: '2',
      },
      { entry: 'worker' },
    );
    await worker.waitFor('Render worker ready', 60_000);
    const clinic = await createClinic(t.dataSource, 'Queue Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@queue.test' });
    const patient = await createPatient(t.dataSource, user);
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

  const storedCount = (source: DataSource) => source.getRepository(HandoutEntity).count();

  it('is made by the worker: the web process never starts a browser', async () => {
    const response = await download('clinician');
    expect(response.status).toBe(200);
    expect(readPdf(response.body as Buffer).text).toContain('Lifestyle discussion guide');
    expect(t.app.get(PdfRenderer).status()).toBe('idle');
    expect(await storedCount(t.dataSource)).toBe(1);
  });

  it('makes a handout once when many ask for it at the same moment', async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, () => download('patient')));
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(200));
    const bodies = new Set(responses.map((r) => (r.body as Buffer).toString('base64')));
    expect(bodies.size).toBe(1);
    expect(await storedCount(t.dataSource)).toBe(2);
  });
});
