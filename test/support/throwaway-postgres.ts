import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * A real PostgreSQL in a temporary folder, for the tests and the benchmark:
 * durability off for speed, since nothing in it outlives the run.
 */
export interface ThrowawayPostgres {
  readonly server: EmbeddedPostgres;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const root = await mkdtemp(join(tmpdir(), 'hp-test-pg-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its folder
  const server = await EmbeddedPostgres.start({
    dataDir: join(root, 'data'),
    port: await freePort(),
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '200',
    },
  });
  return {
    server,
    stop: async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
