import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { ConfigError, loadConfig } from './config/app-config';
import { judgeServiceRole, serviceRolePowers } from './database/database-roles';
import { HandoutWorker } from './handouts/handout-jobs';
import { WorkerModule } from './worker.module';

const HEARTBEAT_FILE = join(tmpdir(), 'render-worker.alive');

/**
 * A render worker (`npm run worker`): takes handout jobs from the Redis queue
 * and makes them against the same PostgreSQL as the web instances. It needs
 * REDIS_URL and an external database (DATABASE_URL or its parts: the
 * service's role, never the owner's); it runs no migrations (the web
 * instances do). On SIGTERM it finishes the jobs in hand and exits; a job
 * left by a worker that died is taken up by another.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const log = pino({ level: config.logLevel, base: { context: 'Worker' } });
  const { redisUrl, databaseUrl } = config;
  if (!redisUrl || !databaseUrl) {
    process.stderr.write(
      'A render worker needs REDIS_URL and an external database (DATABASE_URL or DATABASE_HOST and its parts).\n',
    );
    process.exit(1);
  }
  // The worker needs only the service's role; as the web instances, it refuses one that could
  // rewrite the audit trail in production.
  const verdict = judgeServiceRole(
    await serviceRolePowers(databaseUrl),
    config.env === 'production',
  );
  if (verdict.refuse) {
    process.stderr.write(`Cannot start: ${verdict.refuse}\n`);
    process.exit(1);
  }
  if (verdict.warn) log.warn(verdict.warn);
  const context = await NestFactory.createApplicationContext(
    WorkerModule.register({ ...config, redisUrl }, { url: databaseUrl, embedded: false }),
    { bufferLogs: true },
  );
  context.useLogger(context.get(Logger));
  context.enableShutdownHooks();
  const worker = context.get(HandoutWorker);
  // A heartbeat for a container's health check: touched while connected and taking jobs.
  const beat = () => {
    if (worker.isRunning()) void writeFile(HEARTBEAT_FILE, '').catch(() => undefined);
  };
  beat();
  setInterval(beat, 10_000).unref();
  log.info({ concurrency: config.pdfConcurrency }, 'Render worker ready');
}

void main();
