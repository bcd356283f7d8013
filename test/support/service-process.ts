import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * The real entrypoint as a child process: src/main.ts through ts-node, or with
 * `built`, dist/src/main.js exactly as `npm start` runs it (build first), in
 * `cwd` when given (a runtime tree built elsewhere).
 */
export class ServiceProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(
    env: Record<string, string>,
    options: {
      built?: boolean;
      nodeArgs?: readonly string[];
      cwd?: string;
      /** Another entrypoint than main: 'worker' for a render worker. */
      entry?: 'main' | 'worker';
    } = {},
  ) {
    const name = options.entry ?? 'main';
    const entry = options.built
      ? [`dist/src/${name}.js`]
      : ['-r', 'ts-node/register/transpile-only', `src/${name}.ts`];
    this.child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
      cwd: options.cwd ?? ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TS_NODE_PROJECT: 'tsconfig.json',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once the process has ended. */
  get ended(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Resolves when stdout has the text; rejects if the process exits first or time runs out. */
  async waitFor(text: string, timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stdout.includes(text)) {
      if (this.child.exitCode !== null) {
        throw new Error(
          `Service exited (${this.child.exitCode}) before "${text}":\n${this.stderr}`,
        );
      }
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for "${text}":\n${this.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves once `/health/ready` answers 200; rejects if the process ends first or time runs out. */
  async waitReady(baseUrl: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if ((await fetch(`${baseUrl}/health/ready`)).status === 200) return;
      } catch {
        // Not listening yet.
      }
      if (this.ended) throw new Error(`The service ended before it was ready:\n${this.stderr}`);
      if (Date.now() > deadline)
        throw new Error(`Not ready after ${timeoutMs} ms:\n${this.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends a signal without waiting (SIGKILL: the process dies on the spot). */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }
}
