import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { PeriodicJobs } from '../database/periodic-jobs';
import { SessionRepository } from './session.repository';
import { SignInThrottle } from './sign-in-throttle';

const SWEEP_EVERY_MS = 15 * 60_000;
/** How often each instance asks whether the sweep is due. */
const ASK_EVERY_MS = 60_000;

/**
 * Deletes sessions past their absolute timeout, and sign-in counters whose window ended. Idle sessions are refused
 * (and deleted) when next presented; this clears the ones never presented
 * again. Once every 15 minutes per deployment, however many instances run:
 * each asks every minute, and PeriodicJobs lets one of them sweep.
 */
@Injectable()
export class SessionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly jobs: PeriodicJobs,
    private readonly throttle: SignInThrottle,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepIfDue(), ASK_EVERY_MS);
    this.timer.unref();
  }

  /** Sweeps when this instance wins the period's turn; true when it swept. */
  async sweepIfDue(): Promise<boolean> {
    try {
      if (!(await this.jobs.claim('session-sweep', SWEEP_EVERY_MS, this.clock.now()))) return false;
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not ask whether the session sweep is due');
      return false;
    }
    await this.sweep();
    return true;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    try {
      const removed = await this.sessions.deleteExpired(this.clock.now());
      if (removed > 0) this.logger.log({ removed }, 'Removed expired sessions');
      await this.throttle.sweep();
      return removed;
    } catch (error) {
      this.logger.warn({ err: error }, 'Session sweep failed; will try again');
      return 0;
    }
  }
}
