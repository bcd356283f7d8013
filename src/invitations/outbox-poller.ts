import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DuePoller } from '../database/due-poller';
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
  private readonly poller = new DuePoller(
    'due emails to patients',
    POLL_EVERY_MS,
    () => this.outbox.sendDue(),
    OutboxPoller.name,
  );

  constructor(
    private readonly outbox: InvitationOutbox,
    private readonly mailer: Mailer,
  ) {}

  onApplicationBootstrap(): void {
    if (this.mailer.enabled) this.poller.start();
  }

  /** Starts no new try, and lets the one under way finish before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    this.outbox.stop();
    await this.poller.stop();
  }
}
