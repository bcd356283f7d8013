import { Client, Pool } from 'pg';
import { embeddedRoles } from '../../src/database/database-server';
import { inFlight, Phone, phonesReadyToSubmit } from '../../test/support/phones';
import { ThrowawayRedis } from '../../test/support/redis-server';
import { ServiceProcess } from '../../test/support/service-process';
import { replaceDatabase } from '../../test/support/test-env';
import { freePort, startThrowawayPostgres } from '../../test/support/throwaway-postgres';
import { benchClinician } from './bench-clinic';
import { ascending, Figure, percentile } from './figures';
import { treeCpuSeconds } from './proc';

/** Submissions per round; each makes four handouts ahead (two kinds, two papers). */
const SUBMISSIONS = 60;
const HANDOUTS_PER_SUBMISSION = 4;

/**
 * Handouts through the queue, as the compose deployment runs them: the web
 * instance (built, production mode) takes submissions and queues their
 * handouts ahead on Redis; render workers make them. One round with one
 * worker, one with two: handouts a second, the workers' CPU per handout, and
 * the time from a submission to its stored clinician guide.
 */
export async function benchQueue(): Promise<Figure[]> {
  const postgres = await startThrowawayPostgres();
  const redis = await ThrowawayRedis.start();
  const url = replaceDatabase(postgres.server.url('postgres'), 'queue');
  const admin = new Client({ connectionString: postgres.server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE queue').finally(() => admin.end());
  // Two roles, as production requires: the service's, and the owner's for migrations.
  const { owner, service: serviceRole } = await embeddedRoles(postgres.server, 'queue');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: postgres.server.url('queue', serviceRole),
    DATABASE_OWNER_USER: owner.name,
    DATABASE_OWNER_PASSWORD: owner.password,
    REDIS_URL: redis.url,
    NODE_ENV: 'production',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    PUBLIC_URL: 'https://bench.clinic.test',
    LOG_LEVEL: 'info',
    DEMO_DATA: 'off',
  };
  const web = new ServiceProcess({ ...env, PORT: String(port) }, { built: true });
  const workers: ServiceProcess[] = [];
  const db = new Pool({ connectionString: url, max: 4 });
  try {
    await web.waitReady(baseUrl);
    const { clinician, csrf } = await benchClinician(db, baseUrl);

    const figures: Figure[] = [];
    for (const count of [1, 2]) {
      while (workers.length < count) {
        const worker = new ServiceProcess(
          { ...env, PDF_CONCURRENCY: '3' },
          { built: true, entry: 'worker' },
        );
        await worker.waitFor('Render worker ready', 60_000);
        workers.push(worker);
      }
      const phones: Phone[] = await phonesReadyToSubmit(baseUrl, clinician, csrf, SUBMISSIONS, {
        namePrefix: `Round ${count}`,
      });
      const before = await storedCount(db);
      const cpuBefore = workers.reduce((sum, w) => sum + treeCpuSeconds(w.pid!), 0);
      const started = Date.now();
      await inFlight(phones, 8, async ({ client, token }) => {
        const response = await client.request('POST', '/api/intake/submit', undefined, token);
        await response.arrayBuffer();
        if (response.status !== 201) throw new Error(`submit answered ${response.status}`);
      });
      const target = before + SUBMISSIONS * HANDOUTS_PER_SUBMISSION;
      while ((await storedCount(db)) < target) {
        if (Date.now() - started > 300_000) throw new Error('handouts not stored in 5 minutes');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const seconds = (Date.now() - started) / 1000;
      const cpu = workers.reduce((sum, w) => sum + treeCpuSeconds(w.pid!), 0) - cpuBefore;
      const made = SUBMISSIONS * HANDOUTS_PER_SUBMISSION;
      // From each submission to its clinician guide on A4, by the database's own clocks.
      const delays = ascending(
        (
          await db.query<{ ms: number }>(
            `SELECT extract(epoch FROM (h.created_at - i.submitted_at)) * 1000 AS ms
               FROM handouts h JOIN assessments a ON a.id = h.assessment_id
               JOIN intakes i ON i.id = a.intake_id JOIN patients p ON p.id = i.patient_id
              WHERE h.kind = 'clinician' AND h.paper = 'a4' AND p.family_name LIKE $1`,
            [`Round ${count}%`],
          )
        ).rows.map((r) => Number(r.ms)),
      );
      const label = `${count} worker${count === 1 ? '' : 's'}`;
      figures.push(
        {
          name: `queue: handouts per second, ${label} (${made}, made ahead of ${SUBMISSIONS} submissions)`,
          value: made / seconds,
          unit: '/s',
          target: count === 2 ? '>= 20/s' : undefined,
        },
        { name: `queue: worker CPU per handout, ${label}`, value: (cpu * 1000) / made, unit: 'ms' },
        {
          name: `queue: submission to stored guide p50, ${label}`,
          value: percentile(delays, 50),
          unit: 'ms',
        },
        {
          name: `queue: submission to stored guide p95, ${label}`,
          value: percentile(delays, 95),
          unit: 'ms',
        },
      );
    }
    return figures;
  } finally {
    await db.end();
    await Promise.all(workers.map((w) => w.stop()));
    await web.stop();
    await redis.stop();
    await postgres.stop();
  }
}

async function storedCount(db: Pool): Promise<number> {
  return Number((await db.query<{ count: string }>(`SELECT count(*) FROM handouts`)).rows[0].count);
}
