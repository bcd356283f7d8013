import { Logger } from '@nestjs/common';

/**
 * Runs an outbox's work (`run`: try what is due; how many were tried) in
 * every instance, every `everyMs`: the outbox hands each due row to one
 * instance, so instances never repeat each other's work. One run at a time
 * per instance; a run that fails is logged and tried again at the next poll.
 */
export class DuePoller {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    /** What is tried, for the log: "due emails to patients". */
    private readonly what: string,
    private readonly everyMs: number,
    private readonly run: () => Promise<number>,
    context: string,
  ) {
    this.logger = new Logger(context);
  }

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.everyMs);
    this.timer.unref();
  }

  poll(): Promise<void> {
    this.running ??= this.run()
      .then(
        (tried) => {
          if (tried > 0) this.logger.log({ tried }, `Tried ${this.what}`);
        },
        (error: unknown) =>
          this.logger.warn({ err: error }, `Trying ${this.what} failed; will try again`),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Polls no more, and lets the run under way finish (before the database closes). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
