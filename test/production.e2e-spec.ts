import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { HttpClient } from './support/http-client';
import { phonesReadyToSubmit } from './support/phones';
import { readPdf } from './support/pdf';
import { ServiceProcess } from './support/service-process';
import { freePort } from './support/throwaway-postgres';

/*
 * The production image's steps, followed here, since no Docker engine runs on
 * these machines: the runtime tree is built as the Dockerfile builds it
 * (npm ci, nest build, npm prune --omit=dev; then only package.json,
 * node_modules, dist and templates), started with NODE_ENV=production
 * against a PostgreSQL reached only through its address, whose roles are
 * made by compose's init script (deploy/postgres-init/10-roles.sh): the app
 * connects as hormone_service and migrates as hormone_owner, each with a
 * password no URL could carry raw. The README's seed command runs in it, and a clinic
 * goes round the whole loop through HTTP: sign in, a patient, a link, an
 * intake submitted, both handouts downloaded and read back.
 */

const ROOT = join(__dirname, '..');
/** Passwords of the kind 'openssl rand -base64 24' makes, and worse. */
const SERVICE_PASSWORD = "k/9+Qz@x#7:y?w%a b/=='";
const OWNER_PASSWORD = 'o:w/n@e#r?%2F x\\"==';

const run = (command: string, args: string[], cwd: string): void => {
  execFileSync(command, args, { cwd, stdio: 'pipe', env: { ...process.env, NODE_ENV: '' } });
};

describe("the production image's steps (Dockerfile), followed by hand", () => {
  let root: string;
  let app: string;
  let postgres: EmbeddedPostgres;
  let env: Record<string, string>;
  let service: ServiceProcess | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hp-production-'));
    await chmod(root, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its folder

    // Build stage: what the Dockerfile copies, installs, builds and prunes.
    const build = join(root, 'build');
    await mkdir(build);
    for (const file of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'nest-cli.json',
    ])
      await cp(join(ROOT, file), join(build, file));
    for (const folder of ['src', 'migrations'])
      await cp(join(ROOT, folder), join(build, folder), { recursive: true });
    run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], build);
    run('npx', ['nest', 'build'], build);
    run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], build);

    // Runtime stage: only these reach the image.
    app = join(root, 'app');
    await mkdir(app);
    await cp(join(build, 'package.json'), join(app, 'package.json'));
    for (const folder of ['node_modules', 'dist'])
      await cp(join(build, folder), join(app, folder), { recursive: true, verbatimSymlinks: true });
    await cp(join(ROOT, 'templates'), join(app, 'templates'), { recursive: true });
    await rm(build, { recursive: true, force: true });

    // An external PostgreSQL reached only by address, with its database and roles made as
    // compose makes them: the image creates POSTGRES_DB, then runs the init script as the superuser.
    const port = await freePort();
    postgres = await EmbeddedPostgres.start({ dataDir: join(root, 'pg'), port });
    const admin = new Client({ connectionString: postgres.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE clinic').finally(() => admin.end());
    execFileSync('bash', [join(ROOT, 'deploy', 'postgres-init', '10-roles.sh')], {
      stdio: 'pipe',
      env: {
        PATH: process.env.PATH ?? '',
        PGHOST: '127.0.0.1',
        PGPORT: String(port),
        PGPASSWORD: (await readFile(join(root, 'pg', 'embedded.password'), 'utf8')).trim(),
        POSTGRES_USER: 'postgres',
        POSTGRES_DB: 'clinic',
        DATABASE_OWNER_PASSWORD: OWNER_PASSWORD,
        DATABASE_SERVICE_PASSWORD: SERVICE_PASSWORD,
      },
    });

    const appPort = await freePort();
    baseUrl = `http://127.0.0.1:${appPort}`;
    env = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(appPort),
      PUBLIC_URL: 'https://intake.clinic.test',
      SESSION_SECRET: 'production-check secret, long and random enough 7Hq2',
      DATABASE_HOST: '127.0.0.1',
      DATABASE_PORT: String(port),
      DATABASE_USER: 'hormone_service',
      DATABASE_PASSWORD: SERVICE_PASSWORD,
      DATABASE_NAME: 'clinic',
      DATABASE_OWNER_USER: 'hormone_owner',
      DATABASE_OWNER_PASSWORD: OWNER_PASSWORD,
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: 'warn',
    };
  }, 600_000);

  afterAll(async () => {
    await service?.stop();
    await postgres?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('starts, seeds, and serves a clinic the whole loop over HTTP', async () => {
    service = new ServiceProcess(env, { built: true, cwd: app });
    await service.waitReady(baseUrl, 90_000);

    // The README's seed command, in the runtime tree.
    const seeded = execFileSync(process.execPath, ['dist/src/seed/seed.command.js'], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      encoding: 'utf8',
    });
    const login = /clinician\s+(\S+@\S+)\s+password:\s+(\S+)/.exec(seeded);
    expect(login).not.toBeNull();

    const clinician = new HttpClient(baseUrl);
    await clinician.signIn(login![1], login![2]);
    const csrf = await clinician.csrf('/');

    const [phone] = await phonesReadyToSubmit(baseUrl, clinician, csrf, 1);
    const submitted = await phone.client.request(
      'POST',
      '/api/intake/submit',
      undefined,
      phone.token,
    );
    expect(submitted.status).toBe(201);

    // As the clinician finds it: the patient's page links the intake, whose page links the handouts.
    const html = async (path: string): Promise<string> =>
      (await clinician.request('GET', path, undefined, undefined, 'text/html')).text();
    const intakePath = /href="(\/intakes\/[0-9a-f-]{36})"/.exec(
      await html(`/patients/${phone.patientId}`),
    )?.[1];
    expect(intakePath).toBeDefined();
    const assessmentId = /\/assessments\/([0-9a-f-]{36})\/handouts\/clinician/.exec(
      await html(intakePath!),
    )?.[1];
    expect(assessmentId).toBeDefined();
    for (const kind of ['clinician', 'patient'] as const) {
      const response = await clinician.request(
        'GET',
        `/api/assessments/${assessmentId}/handouts/${kind}`,
        undefined,
        undefined,
        'application/pdf',
      );
      expect({ kind, status: response.status }).toEqual({ kind, status: 200 });
      const { text, pages } = readPdf(Buffer.from(await response.arrayBuffer()));
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(text).toContain(
        kind === 'clinician' ? 'Lifestyle discussion guide' : 'Your lifestyle notes',
      );
    }
    expect(service.stderr).not.toMatch(/Cannot find module|Error:/);

    // The service's pool is the service's role; the tables are the owner's.
    const check = new Client({ connectionString: postgres.url('clinic') });
    await check.connect();
    try {
      const { rows } = await check.query<{ usename: string }>(
        `SELECT DISTINCT usename FROM pg_stat_activity
         WHERE datname = 'clinic' AND pid <> pg_backend_pid() AND usename IS NOT NULL`,
      );
      expect(rows).toEqual([{ usename: 'hormone_service' }]);
      const owners = await check.query<{ owner: string }>(
        `SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'`,
      );
      expect(owners.rows).toEqual([{ owner: 'hormone_owner' }]);
    } finally {
      await check.end();
    }
  });
});
