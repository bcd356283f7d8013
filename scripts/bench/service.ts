import { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app';
import { AssessmentEntity } from '../../src/assessments/assessment.entity';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { IntakeEntity } from '../../src/intakes/intake.entity';
import { TYPICAL_ANSWERS } from '../../test/support/intake-flow';
import { createClinic, createUser, TestUser } from '../../test/support/test-app';
import { replaceDatabase } from '../../test/support/test-env';
import {
  freePort,
  startThrowawayPostgres,
  ThrowawayPostgres,
} from '../../test/support/throwaway-postgres';
import { HttpClient } from '../../test/support/http-client';

/** The whole service, listening on a port, over a throwaway PostgreSQL with every migration. */
export interface BenchService {
  readonly app: NestExpressApplication;
  readonly dataSource: DataSource;
  readonly baseUrl: string;
  readonly clinician: TestUser;
  close(): Promise<void>;
}

export async function startBenchService(): Promise<BenchService> {
  const postgres: ThrowawayPostgres = await startThrowawayPostgres();
  const url = replaceDatabase(postgres.server.url('postgres'), 'bench');
  const admin = new Client({ connectionString: postgres.server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE bench').finally(() => admin.end());
  const migrator = await new DataSource(dataSourceOptions(url, 2)).initialize();
  await runMigrations(migrator).finally(() => migrator.destroy());

  const port = await freePort();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: String(port),
  });
  const app = await createApp(config, { url, embedded: false });
  await app.listen(port, '127.0.0.1');
  const dataSource = app.get(DataSource);
  const clinic = await createClinic(dataSource, 'Benchmark Clinic');
  const clinician = await createUser(dataSource, clinic, { email: 'bench@clinic.test' });
  return {
    app,
    dataSource,
    baseUrl: `http://127.0.0.1:${port}`,
    clinician,
    close: async () => {
      await app.close();
      await postgres.stop();
    },
  };
}

/**
 * A patient invited, answering and submitting through the real HTTP stack, as
 * on the patient's phone. Returns the stored assessment's id.
 */
export async function submitIntake(
  service: BenchService,
  clinician: HttpClient,
  clinicianCsrf: string,
  name: { givenName: string; familyName: string },
): Promise<string> {
  const patient = await clinician.json<{ id: string }>(
    'POST',
    '/api/patients',
    name,
    clinicianCsrf,
  );
  const invitation = await clinician.json<{ id: string; link: string }>(
    'POST',
    `/api/patients/${patient.id}/invitations`,
    { protocol: 'trt' },
    clinicianCsrf,
  );
  const phone = new HttpClient(service.baseUrl);
  await phone.request('GET', new URL(invitation.link).pathname);
  await phone.agreeToConsent();
  const token = await phone.csrf('/intake/context');
  await phone.json('PUT', '/api/intake/answers', TYPICAL_ANSWERS, token);
  await phone.json('POST', '/api/intake/submit', undefined, token);
  const intake = await service.dataSource
    .getRepository(IntakeEntity)
    .findOneByOrFail({ invitationId: invitation.id });
  const assessment = await service.dataSource
    .getRepository(AssessmentEntity)
    .findOneByOrFail({ intakeId: intake.id });
  return assessment.id;
}
