import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DuePoller } from '../database/due-poller';
import { WebhookDispatcher } from './webhook-dispatcher';

/**
 * How often each web instance looks for due deliveries. Short: an event is
 * sent within seconds of its change. A look finds nothing in one indexed
 * read (webhook_deliveries_due_idx) when nothing is due.
 */
const POLL_EVERY_MS = 5_000;

/** Sends the webhook deliveries that are due, from every web instance (render workers send none). */
@Injectable()
export class WebhookPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly poller = new DuePoller(
    'due webhook deliveries',
    POLL_EVERY_MS,
    () => this.dispatcher.sendDue(),
    WebhookPoller.name,
  );

  constructor(private readonly dispatcher: WebhookDispatcher) {}

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  /** Starts no new try, and lets the one under way finish before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    this.dispatcher.stop();
    await this.poller.stop();
  }
}
