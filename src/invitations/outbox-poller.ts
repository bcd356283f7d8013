import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Mailer } from '../mail/mailer';
import { InvitationOutbox } from './invitation-outbox';

/** How often each instance looks for emails that are due. */
const POLL_EVERY_MS = 30_000;

/**
 * Sends the emails that have come due (reminders, retries) from every web
 * instance, every 30 seconds, while email is on. Instances never send the
 * same email: the outbox hands each due row to one of them.
 */
@Injectable()
export class OutboxPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxPoller.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly outbox: InvitationOutbox,
    private readonly mailer: Mailer,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.mailer.enabled) return;
    this.timer = setInterval(() => void this.poll(), POLL_EVERY_MS);
    this.timer.unref();
  }

  /** One run at a time per instance; a run that fails is tried again at the next poll. */
  poll(): Promise<void> {
    this.running ??= this.outbox
      .sendDue()
      .then(
        (tried) => {
          if (tried > 0) this.logger.log({ tried }, 'Tried due emails to patients');
        },
        (error: unknown) =>
          this.logger.warn({ err: error }, 'Sending due emails failed; will try again'),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Starts no new try, and lets the one under way finish before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.outbox.stop();
    await this.running;
  }
}
