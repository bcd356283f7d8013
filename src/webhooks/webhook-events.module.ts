import { Global, Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { WebhookEvents } from './webhook-events';

/**
 * Global: submitting an intake, completing a review and storing a handout
 * (in a web instance or a render worker) write their webhook events in
 * their own transactions. Only writing: sending is WebhooksModule's.
 */
@Global()
@Module({ providers: [WebhookEvents, Clock], exports: [WebhookEvents] })
export class WebhookEventsModule {}
