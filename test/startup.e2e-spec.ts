import { chmod, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { PasswordHasher } from '../src/auth/password-hasher';
import { dataSourceOptions } from '../src/database/data-source-options';
import { EMBEDDED_DATABASE } from '../src/database/database-server';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';
import { freePort } from './support/throwaway-postgres';
import { ServiceProcess } from './support/service-process';
import { createTestDatabase, TestDatabase } from './support/test-database';

const NO_STACK = /^\s+at .+:\d+:\d+\)?$/m;

describe('starting the service (the real entrypoint, as a process)', () => {
  it('refuses bad configuration with one message naming every bad variable, exit 1, no stack', async () => {
    const service = new ServiceProcess({
      DATABASE_URL: 'mysql://user:secret-pw@db/app',
      PORT: '70000',
      NODE_ENV: 'production',
      SESSION_SECRET: 'too-short',
    });
    expect(await service.exited).toBe(1);
    expect(service.stderr).toContain('Configuration is invalid (4 problems)');
    expect(service.stderr).toContain('PUBLIC_URL: required when NODE_ENV=production');
    expect(service.stderr).toContain(
      'PORT: expected a TCP port number from 1 to 65535 (got "70000")',
    );
    expect(service.stderr).toContain('DATABASE_URL: expected a postgres:// or postgresql:// URL');
    expect(service.stderr).toContain(
      'SESSION_SECRET: expected a random secret of at least 32 characters',
    );
    expect(service.stderr).not.toMatch(NO_STACK);
    // Credentials and secrets are never echoed back.
    expect(service.stderr).not.toContain('secret-pw');
    expect(service.stderr).not.toContain('too-short');
  });

  it('names DATABASE_URL when nothing answers there, exit 1, no stack', async () => {
    const port = await freePort();
    const service = new ServiceProcess({ DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/app` });
    expect(await service.exited).toBe(1);
    expect(service.stderr.trim()).toBe(
      `Cannot start: DATABASE_URL: nothing accepts connections at 127.0.0.1:${port}. Is PostgreSQL running there?`,
    );
  });

  describe('in production, with the database roles an operator gives', () => {
    let database: TestDatabase;
    const production = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://intake.clinic.test',
      SESSION_SECRET: 'startup-check secret, long and random enough 7Hq2',
    };

    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      await database.drop();
    });

    it('refuses one role for everything, before touching the schema, in one sentence', async () => {
      const service = new ServiceProcess({ ...production, DATABASE_URL: database.ownerUrl });
      expect(await service.exited).toBe(1);
      expect(service.stderr.trim()).toMatch(
        /^Cannot start: DATABASE_OWNER_USER: required when NODE_ENV=production\. [^\n]+\(README, "With an external PostgreSQL"\)\.$/,
      );
    });

    it("refuses a service role that could rewrite the audit trail, though the owner's is given", async () => {
      const owner = new URL(database.ownerUrl);
      const service = new ServiceProcess({
        ...production,
        DATABASE_URL: database.url, // the superuser's
        DATABASE_OWNER_USER: decodeURIComponent(owner.username),
        DATABASE_OWNER_PASSWORD: decodeURIComponent(owner.password),
      });
      expect(await service.exited).toBe(1);
      expect(service.stderr.trim()).toMatch(
        /^Cannot start: the database role "\w+" that the service connects as is a superuser\. Connect the service as a role that is only a member of hormone_app/,
      );
    });

    it("names DATABASE_OWNER_USER when the owner's password is refused, and never echoes it", async () => {
      const service = new ServiceProcess({
        ...database.serviceEnv,
        DATABASE_OWNER_PASSWORD: 'not-the-owner-password',
      });
      expect(await service.exited).toBe(1);
      expect(service.stderr.trim()).toMatch(
        /^Cannot start: DATABASE_OWNER_USER: PostgreSQL at 127\.0\.0\.1:\d+ refused the user name or password\.$/,
      );
      expect(service.stderr).not.toContain('not-the-owner-password');
    });
  });

  describe('with DATABASE_URL', () => {
    let database: TestDatabase;
    let service: ServiceProcess;
    let base: string;

    beforeAll(async () => {
      database = await createTestDatabase();
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      service = new ServiceProcess({
        ...database.serviceEnv,
        PORT: String(port),
        LOG_LEVEL: 'info',
      });
      await service.waitFor('Listening on');
    });
    afterAll(async () => {
      await service.stop();
      await database.drop();
    });

    it('uses that server, not the embedded one', async () => {
      const ready = await request(base).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.database).toEqual({ status: 'up', embedded: false });
      expect(service.stdout).not.toContain('Embedded PostgreSQL');
    });

    it("connects as the service's role, with no warning about its powers", async () => {
      await request(base).get('/health/ready'); // a pooled connection, open for a while
      expect(await usersConnectedTo(database.url, database.name)).toEqual([
        decodeURIComponent(new URL(database.serviceUrl).username),
      ]);
      expect(service.stdout).not.toContain('that the service connects as');
    });

    it('names a port already in use', async () => {
      const second = new ServiceProcess({ ...database.serviceEnv, PORT: new URL(base).port });
      expect(await second.exited).toBe(1);
      expect(second.stderr.trim()).toBe(
        `Cannot start: PORT: ${new URL(base).port} is already in use on 127.0.0.1. Choose another port.`,
      );
    });

    it('logs one JSON line per request with its id, and no password, cookie or token', async () => {
      const page = await request(base)
        .get('/sign-in')
        .set('Accept', 'text/html')
        .set('X-Request-Id', 'req-abcdef-123');
      const cookies = page.headers['set-cookie'] as unknown as string[];
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      await request(base)
        .post('/sign-in')
        .set('Cookie', cookies.map((c) => c.split(';')[0]).join('; '))
        .type('form')
        .send({ _csrf: csrf, email: 'someone@clinic.test', password: 'Hunter2-very-secret' });
      await request(base).get('/i/SECRET-LINK-TOKEN-123?x=1');
      await service.waitFor('"url":"/i/[redacted]"'); // log lines arrive through a pipe

      const lines = service.stdout.split('\n').filter((line) => line.startsWith('{'));
      const parsed = lines.map(
        (line) => JSON.parse(line) as { req?: { id?: string; url?: string } },
      );
      expect(
        parsed.some((entry) => entry.req?.id === 'req-abcdef-123' && entry.req.url === '/sign-in'),
      ).toBe(true);
      expect(parsed.some((entry) => entry.req?.url === '/i/[redacted]')).toBe(true);
      const all = service.stdout + service.stderr;
      for (const secret of [
        'Hunter2-very-secret',
        csrf,
        'SECRET-LINK-TOKEN-123',
        cookies[0].split(';')[0].split('=')[1],
      ]) {
        expect(all).not.toContain(secret);
      }
    });

    it('finishes cleanly on SIGTERM', async () => {
      expect(await service.stop('SIGTERM')).toBe(0);
      expect(service.stdout).toContain('"msg":"Stopped"');
    });
  });

  describe('with the embedded default', () => {
    it('starts PostgreSQL itself, seeds the demo clinic once, and keeps data across a restart', async () => {
      const root = await mkdtemp(join(tmpdir(), 'hp-embedded-'));
      await chmod(root, 0o755);
      const env = {
        PORT: String(await freePort()),
        EMBEDDED_PG_PORT: String(await freePort()),
        EMBEDDED_PG_DATA_DIR: join(root, 'postgres'),
      };
      const base = `http://127.0.0.1:${env.PORT}`;

      const first = new ServiceProcess(env);
      await first.waitFor('Listening on');
      const ready = await request(base).get('/health/ready');
      expect(ready.body.status).toBe('ready');
      expect(ready.body.checks.database).toEqual({ status: 'up', embedded: true });
      expect(first.stdout).toContain('Demo clinic "Demo Hormone Clinic" created');
      const login = /clinician\s+(\S+)\s+password: (\S+)/.exec(first.stdout);
      expect(login).not.toBeNull();
      // A form opened before the restart...
      const page = await request(base).get('/sign-in').set('Accept', 'text/html');
      const cookies = (page.headers['set-cookie'] as unknown as string[])
        .map((c) => c.split(';')[0])
        .join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      expect(await first.stop('SIGINT')).toBe(0);

      const second = new ServiceProcess(env);
      await second.waitFor('Listening on');
      expect(second.stdout).not.toContain('Demo clinic');
      // ...is taken after it (the secret that signs form tokens is kept with the data), and the
      // login made by the first run still works: the data survived the restart.
      const signIn = await request(base)
        .post('/sign-in')
        .set('Cookie', cookies)
        .type('form')
        .send({ _csrf: csrf, email: login![1], password: login![2] });
      expect(signIn.status).toBe(303);
      expect(await usersConnectedTo(await superuserUrl(env.EMBEDDED_PG_DATA_DIR, env))).toEqual([
        'hormone_service',
      ]);
      expect(await second.stop('SIGTERM')).toBe(0);
    });

    it('upgrades a data folder of an earlier version, whose tables the superuser owns', async () => {
      const root = await mkdtemp(join(tmpdir(), 'hp-embedded-old-'));
      await chmod(root, 0o755);
      const env = {
        PORT: String(await freePort()),
        EMBEDDED_PG_PORT: String(await freePort()),
        EMBEDDED_PG_DATA_DIR: join(root, 'postgres'),
      };
      // What an earlier version left: every migration before the two roles applied as the
      // superuser, and the demo clinic.
      const old = await EmbeddedPostgres.start({
        dataDir: env.EMBEDDED_PG_DATA_DIR,
        port: Number(env.EMBEDDED_PG_PORT),
      });
      let login: { email: string; password: string };
      try {
        await old.ensureDatabase(EMBEDDED_DATABASE);
        const before = MIGRATIONS.slice(
          0,
          MIGRATIONS.findIndex((m) => m.name === 'LeastPrivilege1763800001300'),
        );
        const dataSource = await new DataSource({
          ...dataSourceOptions(old.url(EMBEDDED_DATABASE), 2),
          migrations: before,
        }).initialize();
        try {
          expect(await runMigrations(dataSource)).toHaveLength(before.length);
          // A clinic and its clinician, written as that schema was (the entities have moved on).
          login = { email: 'early@clinic.test', password: 'an early clinician passphrase' };
          const [clinic] = await dataSource.query<{ id: string }[]>(
            `INSERT INTO clinics (name) VALUES ('Early Clinic') RETURNING id`,
          );
          await dataSource.query(
            `INSERT INTO users (clinic_id, email, display_name, role, password_hash)
             VALUES ($1, $2, 'Dr Early', 'clinician', $3)`,
            [clinic.id, login.email, await new PasswordHasher().hash(login.password)],
          );
        } finally {
          await dataSource.destroy();
        }
      } finally {
        await old.stop();
      }

      const service = new ServiceProcess({ ...env, LOG_LEVEL: 'info' });
      await service.waitFor('Listening on');
      expect(service.stdout).toContain('LeastPrivilege1763800001300');
      const base = `http://127.0.0.1:${env.PORT}`;
      const page = await request(base).get('/sign-in').set('Accept', 'text/html');
      const signIn = await request(base)
        .post('/sign-in')
        .set(
          'Cookie',
          (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]),
        )
        .type('form')
        .send({
          _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1],
          email: login.email,
          password: login.password,
        });
      expect(signIn.status).toBe(303);

      const superuser = await superuserUrl(env.EMBEDDED_PG_DATA_DIR, env);
      expect(await usersConnectedTo(superuser)).toEqual(['hormone_service']);
      const client = new Client({ connectionString: superuser });
      await client.connect();
      try {
        const { rows } = await client.query<{ owner: string }>(
          `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class
           WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S', 'i')
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = pg_class.oid AND d.deptype = 'e')`,
        );
        expect(rows).toEqual([{ owner: 'hormone_owner' }]);
        const database = await client.query<{ owner: string }>(
          `SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1`,
          [EMBEDDED_DATABASE],
        );
        expect(database.rows).toEqual([{ owner: 'hormone_owner' }]);
      } finally {
        await client.end();
      }
      expect(await service.stop('SIGTERM')).toBe(0);
    });
  });
});

/** The embedded server's superuser, from the password kept in its folder. */
async function superuserUrl(dataDir: string, env: { EMBEDDED_PG_PORT: string }): Promise<string> {
  const password = (await readFile(join(dataDir, 'embedded.password'), 'utf8')).trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${env.EMBEDDED_PG_PORT}/${EMBEDDED_DATABASE}`;
}

/** The roles of every other connection to the database (the service's pool). */
async function usersConnectedTo(url: string, database?: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ usename: string }>(
      `SELECT DISTINCT usename FROM pg_stat_activity
       WHERE datname = coalesce($1, current_database()) AND pid <> pg_backend_pid() AND usename IS NOT NULL
       ORDER BY 1`,
      [database ?? null],
    );
    return rows.map((row) => row.usename);
  } finally {
    await client.end();
  }
}
