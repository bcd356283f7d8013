import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { ServiceProcess } from '../../test/support/service-process';
import { replaceDatabase } from '../../test/support/test-env';
import {
  freePort,
  startThrowawayPostgres,
  ThrowawayPostgres,
} from '../../test/support/throwaway-postgres';
import { ownCpuSeconds, treeCpuSeconds } from './proc';
import { benchClinician } from './bench-clinic';
import { ascending, Figure, percentile, timed } from './figures';
import { HttpClient } from '../../test/support/http-client';
import { embeddedRoles } from '../../src/database/database-server';
import { inFlight, phonesReadyToSubmit } from '../../test/support/phones';

const SUBMISSIONS = 3_000;
/** Requests that measure the HTTP stack alone. */
const FLOOR_REQUESTS = 10_000;
/** Requests in flight at once, as many phones would keep. */
const IN_FLIGHT = 32;

const CPU_PARTS = {
  service: 'service process',
  postgres: 'PostgreSQL (all its processes)',
  load: 'load generator (this process)',
} as const;

/** CPU seconds used so far by each part of the run: they share the machine's cores. */
function cpuOf(
  service: ServiceProcess,
  postgres: ThrowawayPostgres,
): Record<keyof typeof CPU_PARTS, number> {
  return {
    service: service.pid ? treeCpuSeconds(service.pid) : NaN,
    postgres: postgres.server.pid ? treeCpuSeconds(postgres.server.pid) : NaN,
    load: ownCpuSeconds(),
  };
}

/**
 * Intake submissions through the whole service in its own process (HTTP,
 * patient session, CSRF, scoring, rules, one transaction with the assessment,
 * audit and patient summary), beside a bare INSERT loop on the same
 * PostgreSQL with the same number in flight: the ratio says how close the
 * service comes to the database's own limit.
 */
export async function benchSubmissions(): Promise<Figure[]> {
  const postgres = await startThrowawayPostgres();
  const url = replaceDatabase(postgres.server.url('postgres'), 'submissions');
  const admin = new Client({ connectionString: postgres.server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE submissions').finally(() => admin.end());
  // Two roles, as production requires: the service's, and the owner's for migrations.
  const { owner, service: serviceRole } = await embeddedRoles(postgres.server, 'submissions');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const serviceEnv = {
    DATABASE_URL: postgres.server.url('submissions', serviceRole),
    DATABASE_OWNER_USER: owner.name,
    DATABASE_OWNER_PASSWORD: owner.password,
    NODE_ENV: 'production',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    PUBLIC_URL: 'https://bench.clinic.test',
    LOG_LEVEL: 'warn',
    DEMO_DATA: 'off',
  };
  const service = new ServiceProcess(
    { ...serviceEnv, PORT: String(port) },
    // To profile the service: BENCH_SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
    { built: true, nodeArgs: process.env.BENCH_SERVICE_NODE_ARGS?.split(' ') },
  );
  try {
    await service.waitReady(baseUrl);
    const db = new Pool({ connectionString: url, max: 4 });
    db.on('error', () => undefined); // the database stops at the end, perhaps before an idle client notices
    const { clinician, csrf } = await benchClinician(db, baseUrl);

    // Ready to submit: one patient each, invited, link opened, answers saved.
    const phones = await phonesReadyToSubmit(baseUrl, clinician, csrf, SUBMISSIONS);
    // A database in use has statistics (autovacuum analyzes as tables grow);
    // this one grew from nothing in seconds, faster than autovacuum's minute.
    await db.query('ANALYZE');

    const latencies: number[] = [];
    let accepted = 0;
    const cpuBefore = cpuOf(service, postgres);
    const started = process.hrtime.bigint();
    await inFlight(phones, IN_FLIGHT, async ({ client, token }) => {
      latencies.push(
        await timed(async () => {
          const response = await client.request('POST', '/api/intake/submit', undefined, token);
          await response.arrayBuffer();
          if (response.status === 201) accepted++;
        }),
      );
    });
    const submitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuAfter = cpuOf(service, postgres);

    const [{ count: stored }] = (
      await db.query<{ count: string }>(
        `SELECT count(*) FROM intakes i JOIN assessments a ON a.intake_id = i.id WHERE i.status = 'submitted'`,
      )
    ).rows;
    if (accepted !== SUBMISSIONS || Number(stored) !== SUBMISSIONS)
      throw new Error(`Accepted ${accepted}, stored ${stored} of ${SUBMISSIONS}`);

    // The same again through two instances on the same database, half the phones each.
    const secondPort = await freePort();
    const secondUrl = `http://127.0.0.1:${secondPort}`;
    const second = new ServiceProcess({ ...serviceEnv, PORT: String(secondPort) }, { built: true });
    let twoInstancesPerSecond = NaN;
    try {
      await second.waitReady(secondUrl);
      const morePhones = await phonesReadyToSubmit(baseUrl, clinician, csrf, SUBMISSIONS, {
        namePrefix: 'Two instances',
      });
      const twoStarted = process.hrtime.bigint();
      await inFlight(
        morePhones.map((phone, i) => ({ phone, i })),
        IN_FLIGHT,
        async ({ phone, i }) => {
          const client = i % 2 === 0 ? phone.client : phone.client.at(secondUrl);
          const response = await client.request(
            'POST',
            '/api/intake/submit',
            undefined,
            phone.token,
          );
          await response.arrayBuffer();
          if (response.status !== 201) throw new Error(`submit answered ${response.status}`);
        },
      );
      twoInstancesPerSecond = SUBMISSIONS / (Number(process.hrtime.bigint() - twoStarted) / 1e9);
    } finally {
      await second.stop();
    }

    // The same stack doing nothing: what HTTP and the load generator alone
    // cost on these cores, the ceiling any submission rate here lies under.
    const probe = new HttpClient(baseUrl);
    const cpuBeforeFloor = cpuOf(service, postgres);
    const floorStarted = process.hrtime.bigint();
    await inFlight(
      Array.from({ length: FLOOR_REQUESTS }, (_, i) => i),
      IN_FLIGHT,
      async () => {
        const response = await probe.request('GET', '/health/live');
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`/health/live answered ${response.status}`);
      },
    );
    const floorSeconds = Number(process.hrtime.bigint() - floorStarted) / 1e9;
    const cpuAfterFloor = cpuOf(service, postgres);

    // The database alone: one INSERT per transaction, of a row the size of an assessment.
    const assessmentBytes = (
      await db.query<{ bytes: number }>(
        `SELECT avg(pg_column_size(results))::int AS bytes FROM assessments`,
      )
    ).rows[0].bytes;
    await db.query(`CREATE TABLE bench_inserts (id bigserial PRIMARY KEY, payload jsonb NOT NULL)`);
    const payload = JSON.stringify({ filler: 'x'.repeat(assessmentBytes) });
    const inserter = new Pool({ connectionString: url, max: 10 });
    const insertStarted = process.hrtime.bigint();
    await inFlight(
      Array.from({ length: SUBMISSIONS * 2 }, (_, i) => i),
      IN_FLIGHT,
      async () => {
        await inserter.query('INSERT INTO bench_inserts (payload) VALUES ($1)', [payload]);
      },
    );
    const insertSeconds = Number(process.hrtime.bigint() - insertStarted) / 1e9;
    await inserter.end();
    await db.end();

    const sorted = ascending(latencies);
    const perSecond = SUBMISSIONS / submitSeconds;
    const insertsPerSecond = (SUBMISSIONS * 2) / insertSeconds;
    return [
      {
        name: `submissions: per second (${SUBMISSIONS}, ${IN_FLIGHT} in flight, service in its own process)`,
        value: perSecond,
        unit: '/s',
        target: '>= 1500/s',
      },
      {
        name: `submissions: per second through two instances on one database (${SUBMISSIONS}, half each)`,
        value: twoInstancesPerSecond,
        unit: '/s',
      },
      { name: 'submissions: p50', value: percentile(sorted, 50), unit: 'ms' },
      { name: 'submissions: p99', value: percentile(sorted, 99), unit: 'ms' },
      {
        name: `submissions: bare INSERT loop, same database (${assessmentBytes}-byte rows)`,
        value: insertsPerSecond,
        unit: '/s',
      },
      {
        name: 'submissions: service / bare INSERT',
        value: perSecond / insertsPerSecond,
        unit: 'x',
        target: '>= 0.5',
      },
      ...(['service', 'postgres', 'load'] as const).map((part) => ({
        name: `submissions: CPU per submission, ${CPU_PARTS[part]}`,
        value: ((cpuAfter[part] - cpuBefore[part]) * 1000) / SUBMISSIONS,
        unit: 'ms',
      })),
      {
        name: `submissions: ceiling, GET /health/live the same way (no database)`,
        value: FLOOR_REQUESTS / floorSeconds,
        unit: '/s',
      },
      ...(['service', 'load'] as const).map((part) => ({
        name: `submissions: ceiling, CPU per request, ${CPU_PARTS[part]}`,
        value: ((cpuAfterFloor[part] - cpuBeforeFloor[part]) * 1000) / FLOOR_REQUESTS,
        unit: 'ms',
      })),
    ];
  } finally {
    await service.stop();
    await postgres.stop();
  }
}

/** From nothing to ready: a new embedded PostgreSQL (initdb), migrations, HTTP; then a restart. */
export async function benchColdStart(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hp-bench-cold-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its folder
  const figures: Figure[] = [];
  try {
    for (const label of ['first start (initdb, migrations)', 'restart (data kept)']) {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const service = new ServiceProcess(
        {
          PORT: String(port),
          EMBEDDED_PG_DATA_DIR: join(dir, 'postgres'),
          EMBEDDED_PG_PORT: String(await freePort()),
          DEMO_DATA: 'off',
          LOG_LEVEL: 'warn',
        },
        { built: true },
      );
      try {
        const ms = await timed(() => service.waitReady(baseUrl));
        figures.push({ name: `cold start to ready: ${label}`, value: ms / 1000, unit: 's' });
      } finally {
        await service.stop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}
