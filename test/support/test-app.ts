import { codeAt, fromBase32, stepAt } from '../../src/auth/totp';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { ClinicEntity } from '../../src/clinics/clinic.entity';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { PatientEntity } from '../../src/patients/patient.entity';
import { UserEntity, UserRole } from '../../src/users/user.entity';
import { freePort } from './throwaway-postgres';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly server: Server;
  readonly dataSource: DataSource;
  readonly config: AppConfig;
  readonly database: TestDatabase;
  /** Set when started with `listen: true`: where a real browser can reach it. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real application (same headers, parsers, guards, filters) on its own
 * fresh database, connected as the service's own role, so every test also
 * shows that its grants are enough.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { listen?: boolean } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const port = options.listen ? await freePort() : 3000;
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: String(port), ...env });
  const app = await createApp(config, { url: database.serviceUrl, embedded: false });
  if (options.listen) await app.listen(port, '127.0.0.1');
  else await app.init();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    server: app.getHttpServer(),
    dataSource: app.get(DataSource),
    config,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

const hasher = new PasswordHasher();

/**
 * A clinic. Its staff sign in with a password alone unless `mfaRequired`:
 * two-step sign-in has its own tests (test/mfa*.e2e-spec.ts), and the
 * others are about what comes after sign-in.
 */
export async function createClinic(
  dataSource: DataSource,
  name: string,
  options: { mfaRequired?: boolean } = {},
): Promise<ClinicEntity> {
  return dataSource
    .getRepository(ClinicEntity)
    .save({ name, mfaRequired: options.mfaRequired ?? false });
}

export interface TestUser {
  readonly user: UserEntity;
  readonly email: string;
  readonly password: string;
}

export async function createUser(
  dataSource: DataSource,
  clinic: ClinicEntity,
  options: { email: string; role?: UserRole; password?: string; deactivated?: boolean },
): Promise<TestUser> {
  const password = options.password ?? `pw-${options.email}-correct horse`;
  const user = await dataSource.getRepository(UserEntity).save({
    clinicId: clinic.id,
    email: options.email,
    displayName: `User ${options.email}`,
    role: options.role ?? 'clinician',
    passwordHash: await hasher.hash(password),
    deactivatedAt: options.deactivated ? new Date() : null,
    lastSignInAt: null,
  });
  return { user, email: options.email, password };
}

export async function createPatient(
  dataSource: DataSource,
  owner: TestUser,
  values: Partial<Pick<PatientEntity, 'givenName' | 'familyName' | 'reference'>> = {},
): Promise<PatientEntity> {
  return dataSource.getRepository(PatientEntity).save({
    clinicId: owner.user.clinicId,
    givenName: values.givenName ?? 'Test',
    familyName: values.familyName ?? 'Patient',
    reference: values.reference ?? null,
    createdBy: owner.user.id,
  });
}

/** The CSRF token a page embeds in its forms. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No CSRF token in the page');
  return match[1];
}

export interface Browser {
  readonly agent: TestAgent;
  /** A current CSRF token, read from a page as a browser would. */
  csrf(): Promise<string>;
  /** Submits a form as a browser would: the page's token, then the POST. */
  postForm(path: string, fields: Record<string, string>): Promise<request.Response>;
}

/** A cookie-keeping client, like one browser. */
export function browser(server: Server): Browser {
  const agent = request.agent(server);
  const csrf = async (): Promise<string> => {
    const page = await agent.get('/sign-in').set('Accept', 'text/html');
    if (page.status === 303) {
      const home = await agent.get('/').set('Accept', 'text/html');
      return csrfFrom(home.text);
    }
    return csrfFrom(page.text);
  };
  return {
    agent,
    csrf,
    postForm: async (path, fields) => {
      const token = await csrf(); // first: the agent attaches cookies when a request is created
      return agent
        .post(path)
        .type('form')
        .send({ _csrf: token, ...fields });
    },
  };
}

/**
 * Signs a browser in through the real form. When the clinic requires a
 * second factor the user has not set up, it sets one up as a person would,
 * from the key on the page; with `totpSecret` (base32) it answers the code.
 */
export async function signIn(
  server: Server,
  user: TestUser,
  totpSecret?: string,
): Promise<Browser> {
  const client = browser(server);
  const response = await client.postForm('/sign-in', {
    email: user.email,
    password: user.password,
  });
  if (response.status !== 303) throw new Error(`Sign-in failed with ${response.status}`);
  const next = response.headers.location;
  if (next === '/sign-in/set-up' || next === '/sign-in/code') {
    const page = await client.agent.get(next).set('Accept', 'text/html');
    const key = totpSecret ?? /id="mfa-secret">([^<]+)</.exec(page.text)?.[1];
    if (!key) throw new Error(`Sign-in asks for ${next}: give the authenticator key`);
    const code = codeAt(fromBase32(key), stepAt(new Date()));
    const done = await client.agent
      .post(next)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code });
    if (done.status !== 303) throw new Error(`The second step failed with ${done.status}`);
  }
  return client;
}
