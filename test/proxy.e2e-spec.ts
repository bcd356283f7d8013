import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PasswordHasher } from '../src/auth/password-hasher';
import { ServiceProcess } from './support/service-process';
import { withClient } from './support/stored-intakes';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { freePort } from './support/throwaway-postgres';

/*
 * The service behind the Caddyfile the compose file runs (deploy/Caddyfile),
 * as a clinic runs it: real Caddy with its internal CA terminating TLS, the
 * service in production mode trusting only Caddy's address. The browser's
 * view: https, Secure __Host- cookies that keep a session, HSTS; and a client
 * cannot pose as someone else with X-Forwarded-For.
 */

const ROOT = join(__dirname, '..');
const PASSWORD = 'proxy-test password, long enough';
const MAX_FAILURES = 3;

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

describe('behind Caddy, over TLS (deploy/Caddyfile)', () => {
  let db: TestDatabase;
  let dir: string;
  let caddy: ChildProcess;
  let service: ServiceProcess;
  let origin: string;
  let ca: string;
  let port: number;

  /** An https request that trusts Caddy's own CA, as a browser would once told to. */
  const get = (
    path: string,
    headers: Record<string, string> = {},
    method = 'GET',
    body?: string,
  ): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port,
          path,
          method,
          ca,
          // The site's name, as a browser sends it: Caddy answers nothing for another host.
          headers: { host: `localhost:${port}`, ...headers },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    await withClient(db.url, async (client) => {
      const [{ id }] = (
        await client.query<{ id: string }>(
          `INSERT INTO clinics (name, mfa_required) VALUES ('Proxy', false) RETURNING id`,
        )
      ).rows;
      await client.query(
        `INSERT INTO users (clinic_id, email, display_name, role, password_hash)
         VALUES ($1, 'doc@proxy.test', 'Doc', 'clinician', $2)`,
        [id, await new PasswordHasher().hash(PASSWORD)],
      );
    });
    dir = await mkdtemp(join(tmpdir(), 'hp-caddy-'));
    port = await freePort();
    const appPort = await freePort();
    origin = `https://localhost:${port}`;
    service = new ServiceProcess({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(appPort),
      ...db.serviceEnv,
      PUBLIC_URL: origin,
      SESSION_SECRET: 'proxy-test secret, long and random enough 4Kd9',
      TRUST_PROXY: '127.0.0.1',
      INVITATION_LINK_MAX_FAILURES: String(MAX_FAILURES),
      LOG_LEVEL: 'warn',
    });
    await service.waitReady(`http://127.0.0.1:${appPort}`, 90_000);
    caddy = spawn(
      'caddy',
      ['run', '--config', join(ROOT, 'deploy', 'Caddyfile'), '--adapter', 'caddyfile'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          XDG_DATA_HOME: join(dir, 'data'),
          XDG_CONFIG_HOME: join(dir, 'config'),
          SITE_ADDRESS: `localhost:${port}`,
          APP_HOST: '127.0.0.1',
          APP_PORT: String(appPort),
          CADDY_ADMIN: `localhost:${await freePort()}`,
        },
        stdio: 'ignore',
      },
    );
    const root = join(dir, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt');
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        ca = await readFile(root, 'utf8');
        if ((await get('/health/ready')).status === 200) break;
      } catch {
        // Caddy is still making its CA or certificate.
      }
      if (Date.now() > deadline) throw new Error('Caddy did not serve the app over TLS in 30 s');
      await sleep(200);
    }
  }, 180_000);

  afterAll(async () => {
    caddy?.kill('SIGTERM');
    await service?.stop();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('validates as the compose file mounts it', () => {
    expect(() =>
      execFileSync(
        'caddy',
        ['validate', '--config', join(ROOT, 'deploy', 'Caddyfile'), '--adapter', 'caddyfile'],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: dir,
            XDG_DATA_HOME: join(dir, 'v'),
            XDG_CONFIG_HOME: join(dir, 'v'),
          },
          stdio: 'pipe',
        },
      ),
    ).not.toThrow();
  });

  it('serves https with HSTS, and a Secure __Host- session cookie that keeps the clinician signed in', async () => {
    const form = await get('/sign-in', { accept: 'text/html' });
    expect(form.status).toBe(200);
    expect(form.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const jar = new Map<string, string>();
    const keep = (reply: Reply) => {
      for (const line of (reply.headers['set-cookie'] as string[] | undefined) ?? []) {
        expect(line).toMatch(/^__Host-/);
        expect(line).toMatch(/; Secure/i);
        const [pair] = line.split(';');
        jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
    };
    keep(form);
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const signedIn = await get(
      '/sign-in',
      {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: cookie(),
        accept: 'text/html',
      },
      'POST',
      new URLSearchParams({ _csrf: csrf, email: 'doc@proxy.test', password: PASSWORD }).toString(),
    );
    expect(signedIn.status).toBe(303);
    keep(signedIn);
    const list = await get('/', { cookie: cookie(), accept: 'text/html' });
    expect(list.status).toBe(200);
    expect(list.body).toContain('Patients');
  });

  it('throttles a guesser by its real address however it rotates X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MAX_FAILURES + 2; i++) {
      const token = Buffer.from(`guess-${i}-${Date.now()}`).toString('base64url').padEnd(43, 'x');
      statuses.push(
        (
          await get(`/i/${token}`, {
            'x-forwarded-for': `198.51.100.${i + 1}`,
            accept: 'text/html',
          })
        ).status,
      );
    }
    expect(statuses).toEqual([...Array<number>(MAX_FAILURES).fill(404), 429, 429]);
  });
});
