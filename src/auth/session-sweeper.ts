import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SessionRepository } from './session.repository';

const SWEEP_EVERY_MS = 15 * 60_000;

/**
 * Deletes sessions past their absolute timeout. Idle sessions are refused
 * (and deleted) when next presented; this clears the ones never presented
 * again. Safe with several instances: each sweep is one DELETE.
 */
@Injectable()
export class SessionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    try {
      const removed = await this.sessions.deleteExpired(this.clock.now());
      if (removed > 0) this.logger.log({ removed }, 'Removed expired sessions');
      return removed;
    } catch (error) {
      this.logger.warn({ err: error }, 'Session sweep failed; will try again');
      return 0;
    }
  }
}
