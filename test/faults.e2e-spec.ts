import { NestExpressApplication } from '@nestjs/platform-express';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../src/app';
import { PasswordHasher } from '../src/auth/password-hasher';
import { loadConfig } from '../src/config/app-config';
import { runMigrations, withDataSource } from '../src/database/database-server';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { HttpClient } from './support/http-client';
import { inFlight, phonesReadyToSubmit } from './support/phones';
import { ServiceProcess } from './support/service-process';
import { storedIntakes, withClient } from './support/stored-intakes';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { freePort } from './support/throwaway-postgres';

const PASSWORD = 'fault-test password, long enough';

/** A clinic with one clinician, straight into the database. */
function seedClinic(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const [{ id }] = (
      await client.query<{ id: string }>(
        `INSERT INTO clinics (name, mfa_required) VALUES ('Faults', false) RETURNING id`,
      )
    ).rows;
    const email = `clinician-${id.slice(0, 8)}@clinic.test`;
    await client.query(
      `INSERT INTO users (clinic_id, email, display_name, role, password_hash)
       VALUES ($1, $2, 'Clinician', 'clinician', $3)`,
      [id, email, await new PasswordHasher().hash(PASSWORD)],
    );
    return email;
  });
}

describe('faults', () => {
  describe('PostgreSQL stops and comes back while patients submit', () => {
    const SUBMITTERS = 150;
    let root: string;
    let port: number;
    let postgres: EmbeddedPostgres;
    let url: string;
    let app: NestExpressApplication;
    let baseUrl: string;

    const startPostgres = async (): Promise<void> => {
      postgres = await EmbeddedPostgres.start({
        dataDir: join(root, 'data'),
        port,
        settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
      });
    };

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'hp-faults-pg-'));
      await chmod(root, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its folder
      port = await freePort();
      await startPostgres();
      await postgres.ensureDatabase('faults');
      url = postgres.url('faults');
      await withDataSource(url, runMigrations);
      const appPort = await freePort();
      baseUrl = `http://127.0.0.1:${appPort}`;
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: String(appPort) });
      app = await createApp(config, { url, embedded: false });
      await app.listen(appPort, '127.0.0.1');
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      await postgres?.stop();
      await rm(root, { recursive: true, force: true });
    });

    it('answers 503 with Retry-After while it is down, then takes every submission exactly once', async () => {
      const email = await seedClinic(url);
      const clinician = new HttpClient(baseUrl);
      await clinician.signIn(email, PASSWORD);
      const phones = await phonesReadyToSubmit(
        baseUrl,
        clinician,
        await clinician.csrf('/'),
        SUBMITTERS,
      );

      const statuses: number[] = [];
      let withoutRetryAfter = 0;
      let accepted = 0;
      let stopped = false;
      let answeredWhileDown = 0;
      const outage = (async () => {
        while (accepted < SUBMITTERS / 4) await sleep(5);
        await postgres.stop();
        stopped = true;
        const ready = await fetch(`${baseUrl}/health/ready`);
        expect(ready.status).toBe(503);
        while (answeredWhileDown < 20) await sleep(10);
        await startPostgres();
        stopped = false;
      })();
      await inFlight(phones, 16, async (phone) => {
        // As the intake page does: on 503, wait a moment and send again.
        for (;;) {
          const response = await phone.client.request(
            'POST',
            '/api/intake/submit',
            undefined,
            phone.token,
          );
          await response.arrayBuffer();
          statuses.push(response.status);
          if (response.status === 201) {
            accepted++;
            return;
          }
          if (stopped) answeredWhileDown++;
          if (response.status !== 503) return;
          if (!response.headers.get('retry-after')) withoutRetryAfter++;
          await sleep(50);
        }
      });
      await outage;

      expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(20);
      expect(withoutRetryAfter).toBe(0);
      expect(accepted).toBe(SUBMITTERS);
      const stored = await storedIntakes(
        url,
        phones.map((p) => p.patientId),
      );
      expect(stored.count).toBe(SUBMITTERS);
      expect(stored.notWhole).toEqual([]);
      expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
    }, 180_000);
  });

  describe('shutdown while requests are in flight', () => {
    let database: TestDatabase;
    let service: ServiceProcess;
    let baseUrl: string;

    beforeAll(async () => {
      database = await createTestDatabase();
      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      service = new ServiceProcess({
        ...database.serviceEnv,
        PORT: String(port),
        LOG_LEVEL: 'info',
        PDF_CONCURRENCY: '1',
      });
      await service.waitReady(baseUrl);
    }, 120_000);

    afterAll(async () => {
      await service.stop('SIGKILL');
      await database.drop();
    });

    it('finishes the requests it has, refuses new ones, and exits 0', async () => {
      const email = await seedClinic(database.url);
      const clinician = new HttpClient(baseUrl);
      await clinician.signIn(email, PASSWORD);
      const csrf = await clinician.csrf('/');
      const phones = await phonesReadyToSubmit(baseUrl, clinician, csrf, 42);
      const early = phones.splice(0, 2);
      for (const phone of early) {
        await phone.client.json('POST', '/api/intake/submit', undefined, phone.token);
      }
      const assessments = await withClient(database.url, (client) =>
        client.query<{ id: string }>(
          `SELECT a.id FROM assessments a JOIN intakes i ON i.id = a.intake_id WHERE i.patient_id = ANY($1)`,
          [early.map((p) => p.patientId)],
        ),
      );

      // In flight together: eight first renders queued one behind another, and 40 submissions.
      let handoutsPending = 0;
      const handouts = assessments.rows.flatMap(({ id }) =>
        ['clinician', 'patient'].flatMap((kind) =>
          ['a4', 'letter'].map(async (paper) => {
            handoutsPending++;
            const response = await clinician.request(
              'GET',
              `/api/assessments/${id}/handouts/${kind}?paper=${paper}`,
            );
            const bytes = Buffer.from(await response.arrayBuffer());
            handoutsPending--;
            return { status: response.status, magic: bytes.subarray(0, 5).toString() };
          }),
        ),
      );
      const submissions = phones.map(async (phone) => {
        try {
          const response = await phone.client.request(
            'POST',
            '/api/intake/submit',
            undefined,
            phone.token,
          );
          await response.arrayBuffer();
          return response.status;
        } catch {
          return 'refused'; // not yet taken in when the signal came: never reached the service
        }
      });
      await sleep(300); // the renders are still queued one behind another
      const pendingAtSignal = handoutsPending;
      const exited = service.stop('SIGTERM');

      expect(pendingAtSignal).toBeGreaterThan(0);
      expect(await Promise.all(handouts)).toEqual(
        handouts.map(() => ({ status: 200, magic: '%PDF-' })),
      );
      const outcomes = await Promise.all(submissions);
      expect(outcomes.filter((o) => o !== 201 && o !== 'refused')).toEqual([]);
      expect(await exited).toBe(0);
      expect(service.stdout).toContain('Shutting down: finishing requests in flight');
      await expect(fetch(`${baseUrl}/health/live`)).rejects.toThrow();

      // Stored exactly what was answered 201, each whole.
      const stored = await storedIntakes(
        database.url,
        phones.map((p) => p.patientId),
      );
      expect(stored.count).toBe(phones.length);
      expect(stored.notWhole).toEqual([]);
      expect(stored.submitted).toEqual(
        new Set(phones.filter((_, i) => outcomes[i] === 201).map((p) => p.patientId)),
      );
    }, 120_000);
  });
});
