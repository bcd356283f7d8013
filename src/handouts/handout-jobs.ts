import { createHash } from 'node:crypto';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Metrics } from '../metrics/metrics';
import { PdfRenderer } from './pdf-renderer';
import { HANDOUT_KINDS, PAPER_SIZES } from './handout.entity';
import { HandoutMaker, HandoutRefusedError, HandoutRequest } from './handout-maker';

/** The queue's name in Redis. */
export const HANDOUT_QUEUE = 'handouts';
/** How long a download waits for its handout before answering 503 with Retry-After. */
export const HANDOUT_WAIT_MS = 25_000;
/** Written as a failed job's reason when the dosing guard refused it: never retried. */
const REFUSED = 'refused-by-dosing-guard';

/**
 * Where handouts are made. Without REDIS_URL, in this process; with it, by
 * render workers (`npm run worker`) through a BullMQ queue, so web instances
 * run no Chromium.
 */
export abstract class HandoutJobs {
  /** Whether handouts are made ahead of downloads (only with a queue and its workers). */
  abstract readonly makesAhead: boolean;

  /** Makes the handout (or waits for it to be made); throws HandoutRefusedError or a 503. */
  abstract run(request: HandoutRequest, version: HandoutVersion): Promise<void>;

  /**
   * Queues an assessment's handouts (both kinds, both papers) to be made
   * before anyone asks, after a submission or a changed mark. Never fails the
   * caller: a handout not made ahead is made when downloaded.
   */
  abstract ahead(clinicId: string, assessmentId: string, trigger: string): Promise<void>;
}

/** What makes one handout differ from another of the same assessment, kind and paper. */
export interface HandoutVersion {
  readonly templateVersion: string;
  readonly reviewDigest: string;
}

export class InProcessHandoutJobs extends HandoutJobs {
  readonly makesAhead = false;

  constructor(
    private readonly maker: HandoutMaker,
    renderer: PdfRenderer,
    metrics: Metrics,
  ) {
    super();
    metrics.gauge('handout_queue_jobs', 'Handouts being made and waiting', ['state'], (set) => {
      const { active, waiting } = renderer.load();
      set({ state: 'active' }, active);
      set({ state: 'waiting' }, waiting);
    });
  }

  async run(request: HandoutRequest): Promise<void> {
    await this.maker.make(request);
  }

  /**
   * Nothing: without a queue, making handouts ahead would take the web
   * process's Chromium from the clinicians waiting on downloads.
   */
  ahead(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * One job per handout: its id is a digest of what names the handout, so two
 * downloads of the same handout at once, on any instances, share one job, and
 * a completed job answers at once. Failed renders are retried a bounded number
 * of times with backoff; a job whose worker died is taken up by another when
 * its lock lapses. The dosing guard's refusal is final.
 */
export class QueuedHandoutJobs extends HandoutJobs implements OnApplicationShutdown {
  readonly makesAhead = true;
  private readonly logger = new Logger(QueuedHandoutJobs.name);
  private readonly connections: IORedis[];
  private readonly queue: Queue;
  private readonly events: QueueEvents;

  constructor(redisUrl: string, metrics: Metrics) {
    super();
    this.connections = [connect(redisUrl), connect(redisUrl)];
    this.queue = new Queue(HANDOUT_QUEUE, { connection: this.connections[0] });
    this.events = new QueueEvents(HANDOUT_QUEUE, { connection: this.connections[1] });
    metrics.gauge(
      'handout_queue_jobs',
      'Handout jobs in the queue, by state',
      ['state'],
      async (set) => {
        const counts = await this.queue.getJobCounts(
          'waiting',
          'prioritized',
          'active',
          'delayed',
          'failed',
        );
        for (const [state, count] of Object.entries(counts)) set({ state }, count);
      },
    );
  }

  async run(request: HandoutRequest, version: HandoutVersion): Promise<void> {
    const job = await this.queue.add('render', request, {
      jobId: jobIdOf(request, version),
      attempts: 3,
      backoff: { type: 'exponential', delay: 1_000 },
      // Kept a while, so a repeat download finds it done rather than making it again.
      removeOnComplete: { age: 600 },
      removeOnFail: { age: 600 },
    });
    try {
      await job.waitUntilFinished(this.events, HANDOUT_WAIT_MS);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (reason.includes(REFUSED)) throw new HandoutRefusedError();
      throw new DomainError(
        ErrorCode.Unavailable,
        'The handout is still being prepared. Try again in a few seconds.',
        [],
        5,
      );
    }
  }

  async ahead(clinicId: string, assessmentId: string, trigger: string): Promise<void> {
    const jobs = HANDOUT_KINDS.flatMap((kind) =>
      PAPER_SIZES.map((paper) => {
        const data: HandoutRequest = { clinicId, userId: null, assessmentId, kind, paper };
        const id = [clinicId, assessmentId, kind, paper, trigger].join('/');
        return {
          name: 'render-ahead',
          data,
          opts: {
            jobId: `ahead-${createHash('sha256').update(id).digest('hex').slice(0, 32)}`,
            // Downloads (priority 0, the highest) go first.
            priority: 10,
            attempts: 3,
            backoff: { type: 'exponential', delay: 1_000 },
            removeOnComplete: { age: 600 },
            removeOnFail: { age: 600 },
          },
        };
      }),
    );
    try {
      await this.queue.addBulk(jobs);
    } catch (error) {
      this.logger.warn({ err: error, assessmentId }, 'Could not queue handouts ahead');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    for (const connection of this.connections) connection.disconnect();
  }
}

/**
 * The render worker's side: takes jobs from the queue, `concurrency` at once,
 * and makes them with the same HandoutMaker (dosing check, time limit,
 * browser recycling and no network, as in the web process).
 */
export class HandoutWorker implements OnApplicationShutdown {
  private readonly logger = new Logger(HandoutWorker.name);
  private readonly worker: Worker<HandoutRequest>;
  private readonly connection: IORedis;

  constructor(redisUrl: string, maker: HandoutMaker, concurrency: number) {
    this.connection = connect(redisUrl);
    this.worker = new Worker<HandoutRequest>(
      HANDOUT_QUEUE,
      async (job: Job<HandoutRequest>) => {
        try {
          await maker.make(job.data);
        } catch (error) {
          if (error instanceof HandoutRefusedError) throw new UnrecoverableError(REFUSED);
          throw error;
        }
      },
      {
        connection: this.connection,
        concurrency,
        // A worker that dies mid-render stops renewing its lock; another takes the job after this.
        lockDuration: 10_000,
        stalledInterval: 5_000,
      },
    );
    this.worker.on('stalled', (jobId) =>
      this.logger.warn({ jobId }, 'Took up a handout job whose worker stopped'),
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn(
        { jobId: job?.id, attempts: job?.attemptsMade, err: error.message },
        'Handout job failed',
      ),
    );
  }

  /** Whether it is connected and taking jobs (the container's health check reads this). */
  isRunning(): boolean {
    return this.worker.isRunning() && this.connection.status === 'ready';
  }

  /** Finishes the jobs in hand, takes no more. */
  async onApplicationShutdown(): Promise<void> {
    await this.worker.close();
    this.connection.disconnect();
  }
}

function jobIdOf(request: HandoutRequest, version: HandoutVersion): string {
  const name = [
    request.clinicId,
    request.assessmentId,
    request.kind,
    request.paper,
    version.templateVersion,
    version.reviewDigest,
  ].join('/');
  return createHash('sha256').update(name).digest('hex').slice(0, 32);
}

function connect(redisUrl: string): IORedis {
  // BullMQ's blocking commands need maxRetriesPerRequest null.
  return new IORedis(redisUrl, { maxRetriesPerRequest: null });
}
