import { setTimeout as sleep } from 'node:timers/promises';
import { PasswordHasher } from '../src/auth/password-hasher';
import { HttpClient } from './support/http-client';
import { readPdf } from './support/pdf';
import { inFlight, Phone, phonesReadyToSubmit } from './support/phones';
import { ThrowawayRedis } from './support/redis-server';
import { ServiceProcess } from './support/service-process';
import { storedIntakes, withClient } from './support/stored-intakes';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { freePort } from './support/throwaway-postgres';

/*
 * Scaled out on one machine: real redis-server, one PostgreSQL, two web
 * instances and two render workers, each its own process on a loopback port.
 * Patients submit and clinicians download across both web instances; one
 * worker is killed mid-render and one web instance is stopped mid-load, and
 * clients move to the other as a load balancer would send them.
 */

const PATIENTS = 40;
const PASSWORD = 'instances-test password, long enough';
const SECRET = 'instances-test secret shared by every instance 8Zx';

describe('two web instances and two render workers on one PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let redis: ThrowawayRedis;
  const webs: { service: ServiceProcess; url: string }[] = [];
  const workers: ServiceProcess[] = [];
  let email: string;

  const env = (extra: Record<string, string>) => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    ...db.serviceEnv,
    REDIS_URL: redis.url,
    SESSION_SECRET: SECRET,
    PDF_CONCURRENCY: '2',
    ...extra,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await ThrowawayRedis.start();
    email = await withClient(db.url, async (client) => {
      const [{ id }] = (
        await client.query<{ id: string }>(
          `INSERT INTO clinics (name, mfa_required) VALUES ('Scaled', false) RETURNING id`,
        )
      ).rows;
      await client.query(
        `INSERT INTO users (clinic_id, email, display_name, role, password_hash)
         VALUES ($1, 'doc@scaled.test', 'Doc', 'clinician', $2)`,
        [id, await new PasswordHasher().hash(PASSWORD)],
      );
      return 'doc@scaled.test';
    });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const service = new ServiceProcess(env({ PORT: String(port) }));
      webs.push({ service, url: `http://127.0.0.1:${port}` });
      workers.push(new ServiceProcess(env({}), { entry: 'worker' }));
    }
    await Promise.all([
      ...webs.map((web) => web.service.waitReady(web.url, 90_000)),
      ...workers.map((worker) => worker.waitFor('Render worker ready', 90_000)),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...webs.map((w) => w.service.stop()), ...workers.map((w) => w.stop())]);
    await redis?.stop();
    await db?.drop();
  });

  it('stores every submission and every handout exactly once through a killed worker and a stopped instance', async () => {
    const [a, b] = webs;
    const clinicianA = new HttpClient(a.url);
    await clinicianA.signIn(email, PASSWORD);
    const phones = await phonesReadyToSubmit(
      a.url,
      clinicianA,
      await clinicianA.csrf('/'),
      PATIENTS,
    );

    // A session made on one instance works on the other: same database, same secret.
    const clinicianB = clinicianA.at(b.url);
    const onB = await clinicianB.request('GET', '/', undefined, undefined, 'text/html');
    expect(onB.status).toBe(200);

    const statuses: number[] = [];
    let bStopped = false;
    /** Sends to the given instance, or, once B is stopped, to A: as a load balancer would. */
    const send = async (phone: Phone, i: number): Promise<number> => {
      const useB = i % 2 === 1 && !bStopped;
      const client = useB ? phone.client.at(b.url) : phone.client.at(a.url);
      try {
        const response = await client.request('POST', '/api/intake/submit', undefined, phone.token);
        await response.arrayBuffer();
        return response.status;
      } catch {
        return 0; // the instance went away mid-request: send again
      }
    };

    let submitted = 0;
    const load = inFlight(
      phones.map((phone, i) => ({ phone, i })),
      8,
      async ({ phone, i }) => {
        for (;;) {
          const status = await send(phone, i);
          if (status !== 0) statuses.push(status);
          if (status === 201) {
            submitted++;
            return;
          }
          await sleep(50);
        }
      },
    );
    // Mid-load: kill a worker (mid-render, as handouts are made ahead of every submission) and stop B.
    const faults = (async () => {
      while (submitted < PATIENTS / 4) await sleep(10);
      workers[0].kill('SIGKILL');
      while (submitted < PATIENTS / 2) await sleep(10);
      bStopped = true;
      await b.service.stop();
    })();
    await Promise.all([load, faults]);

    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    const stored = await storedIntakes(
      db.url,
      phones.map((p) => p.patientId),
    );
    expect(stored.count).toBe(PATIENTS);
    expect(stored.submitted.size).toBe(PATIENTS);
    expect(stored.notWhole).toEqual([]);

    // The surviving worker takes up what the killed one held: four handouts per assessment, once each.
    const deadline = Date.now() + 60_000;
    let handouts = 0;
    while (Date.now() < deadline) {
      handouts = await withClient(db.url, async (client) =>
        Number((await client.query(`SELECT count(*) FROM handouts`)).rows[0].count),
      );
      if (handouts >= PATIENTS * 4) break;
      await sleep(250);
    }
    expect(handouts).toBe(PATIENTS * 4);
    // The kill was mid-render: the survivor took up jobs the killed worker held.
    expect(workers[1].stdout).toContain('Took up a handout job whose worker stopped');
    const duplicates = await withClient(db.url, async (client) =>
      Number(
        (
          await client.query(
            `SELECT count(*) FROM (SELECT assessment_id, kind, paper, template_version, review_digest
               FROM handouts GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1) d`,
          )
        ).rows[0].count,
      ),
    );
    expect(duplicates).toBe(0);

    // Every handout downloads, readable, through the instance still up.
    const assessments = await withClient(db.url, async (client) =>
      (await client.query<{ id: string }>(`SELECT id FROM assessments`)).rows.map((r) => r.id),
    );
    const downloads: string[] = [];
    await inFlight(assessments, 8, async (id) => {
      for (const kind of ['clinician', 'patient']) {
        const response = await clinicianA.request(
          'GET',
          `/api/assessments/${id}/handouts/${kind}`,
          undefined,
          undefined,
          'application/pdf',
        );
        const pages =
          response.status === 200 ? readPdf(Buffer.from(await response.arrayBuffer())).pages : 0;
        downloads.push(`${response.status}/${pages > 0 ? 'readable' : 'unreadable'}`);
      }
    });
    expect(downloads.filter((d) => d !== '200/readable')).toEqual([]);
    expect(downloads).toHaveLength(assessments.length * 2);
  }, 240_000);
});
