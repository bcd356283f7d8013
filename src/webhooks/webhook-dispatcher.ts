import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { OutboxTable } from '../database/outbox-table';
import { WebhookAlerts, TurnedOff } from './webhook-alerts';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { webhookBody, WebhookDeliveryType } from './webhook-event';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { nextAttemptAfter, turnOffReason } from './webhook-schedule';
import { WebhookSecrets } from './webhook-secrets';
import { SEND_LIMIT_MS, SendOutcome, WebhookSender } from './webhook-sender';
import { webhookHeaders } from './webhook-signature';

/**
 * How long a claimed delivery is an instance's to send: well past
 * SEND_LIMIT_MS, so only an instance that died mid-send leaves one this
 * long, and another then takes it up.
 */
const LEASE_MS = Math.max(2 * 60_000, 6 * SEND_LIMIT_MS);

const DUE_COLUMNS = 'id, clinic_id, endpoint_id, event_id, event_type, data, occurred_at, attempts';

interface DueRow {
  id: string;
  clinic_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: WebhookDeliveryType;
  data: object;
  occurred_at: Date;
  attempts: number;
}

/** A delivery claimed for one try, with what the try needs of its endpoint. */
interface Claim {
  readonly due: DueRow;
  readonly attempt: number;
  readonly triedAt: Date;
  readonly url: string;
  readonly secretSealed: Buffer;
}

/**
 * Sends the webhook outbox (`webhook_deliveries`, written by WebhookEvents
 * in the transactions of the changes), from every web instance, each due
 * delivery by one of them. A try is OutboxTable's three steps:
 *
 * 1. Claim, in a short transaction: the due row FOR UPDATE SKIP LOCKED; if
 *    its endpoint has been turned off it is cancelled, otherwise counted and
 *    leased.
 * 2. Sign and send, with no transaction open, within SEND_LIMIT_MS; the
 *    secret is opened only now, and never leaves this step.
 * 3. Record, in one transaction with the endpoint's row locked: sent, or
 *    retried with backoff, or failed at the end of the schedule; the
 *    endpoint's `failing_since` cleared on a success, set on a first
 *    failure; and when the failures have lasted a day (or it answered 410),
 *    the endpoint turned off, its waiting deliveries cancelled and the turn
 *    audited, once however many instances record failures at that moment.
 *    The admins' email follows the commit.
 *
 * A receiver can get one event twice (an instance that died after the
 * receiver answered but before recording): the `webhook-id` is the same on
 * both, for the receiver to drop the second.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly rows = new OutboxTable('webhook_deliveries', LEASE_MS);

  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: WebhookSender,
    private readonly secrets: WebhookSecrets,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly alerts: WebhookAlerts,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Tries every delivery that is due, one at a time, until none is left,
   * `limit` were tried, or the service is stopping; how many were. Several
   * instances may run this at once: each takes different rows.
   */
  sendDue(limit = 100): Promise<number> {
    return this.rows.drain(() => this.tryNext(), limit);
  }

  /** Tries this delivery now, if it is due and no instance has it (a test an admin just asked for). */
  async attempt(id: string): Promise<void> {
    await this.tryNext(id);
  }

  /** No new try starts after this (a try under way finishes). */
  stop(): void {
    this.rows.stop();
  }

  /** One try of the next due delivery (or of `only`); false when none was due. */
  private async tryNext(only?: string): Promise<boolean> {
    const claim = await this.claim(only);
    if (claim === undefined) return false;
    if (claim === 'cancelled') return true;
    await this.record(claim, await this.send(claim));
    return true;
  }

  /** Step 1. Undefined when none is due; 'cancelled' when its endpoint is off. */
  private claim(only?: string): Promise<Claim | 'cancelled' | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await this.rows.takeDue<DueRow>(manager, DUE_COLUMNS, now, only);
      if (!due) return undefined;
      const [endpoint] = await manager.query<
        { url: string; secret_sealed: Buffer; disabled_at: Date | null }[]
      >(
        `SELECT url, secret_sealed, disabled_at FROM webhook_endpoints
         WHERE clinic_id = $1 AND id = $2`,
        [due.clinic_id, due.endpoint_id],
      );
      if (endpoint.disabled_at) {
        // Written while the endpoint was being turned off, after its waiting ones were cancelled.
        await manager.query(
          `UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = $2
           WHERE id = $1`,
          [due.id, now],
        );
        return 'cancelled';
      }
      const attempt = due.attempts + 1;
      await this.rows.lease(manager, due.id, attempt, now);
      return {
        due,
        attempt,
        triedAt: now,
        url: endpoint.url,
        secretSealed: endpoint.secret_sealed,
      };
    });
  }

  /** Step 2: one signed POST; a fault in making it is a failed try like any other. */
  private async send(claim: Claim): Promise<SendOutcome> {
    const { due } = claim;
    const secret = this.secrets.open(claim.secretSealed);
    if (!secret) return { problem: 'secret', httpStatus: null };
    try {
      const body = webhookBody(due.event_type, due.occurred_at, due.data);
      const headers = webhookHeaders(secret, due.event_id, this.clock.now(), body);
      return await this.sender.send({ url: claim.url, headers, body });
    } catch (error) {
      this.logger.warn({ err: error, deliveryId: due.id }, 'A webhook could not be sent');
      return { problem: 'error', httpStatus: null };
    }
  }

  /** Step 3: see the class comment. */
  private async record(claim: Claim, outcome: SendOutcome): Promise<void> {
    const { due, attempt } = claim;
    const turnedOff = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const [endpoint] = await manager.query<
        { failing_since: Date | null; disabled_at: Date | null }[]
      >(
        `SELECT failing_since, disabled_at FROM webhook_endpoints
         WHERE clinic_id = $1 AND id = $2 FOR NO KEY UPDATE`,
        [due.clinic_id, due.endpoint_id],
      );
      // Deleted while this try was under way: the delivery went with it.
      if (!endpoint) return undefined;
      const off = endpoint.disabled_at !== null;
      const recorded = await this.rows.settle(
        manager,
        due.id,
        attempt,
        settledColumns(claim, outcome, off, now),
      );
      // A newer try owns the row (this one's lease ran out): its outcome counts, not this one's.
      if (!recorded || off) return undefined;
      return this.judge(manager, claim, outcome, endpoint.failing_since, now);
    });
    if (turnedOff) await this.alerts.turnedOff(turnedOff);
  }

  /**
   * The endpoint after a recorded try: failing since its first failure after
   * a success, and turned off, audited as the service's doing, when that has
   * lasted a day (or it answered 410). What was turned off, for the email.
   */
  private async judge(
    manager: EntityManager,
    claim: Claim,
    outcome: SendOutcome,
    failingBefore: Date | null,
    now: Date,
  ): Promise<TurnedOff | undefined> {
    const { clinic_id: clinicId, endpoint_id: endpointId } = claim.due;
    const failingSince = outcome.problem ? (failingBefore ?? claim.triedAt) : null;
    await manager.query(
      `UPDATE webhook_endpoints SET failing_since = $3 WHERE clinic_id = $1 AND id = $2`,
      [clinicId, endpointId, failingSince],
    );
    const reason = failingSince && turnOffReason(failingSince, now, outcome.httpStatus);
    if (!reason) return undefined;
    await this.endpoints.turnOff(manager, clinicId, endpointId, reason, now);
    await this.audit.record(
      {
        clinicId,
        actorType: 'system',
        actorId: null,
        action: 'webhook.disable',
        targetType: 'webhook',
        targetId: endpointId,
        patientId: null,
        outcome: 'success',
        detail: { reason, failingSince: failingSince.toISOString() },
      },
      manager,
    );
    return { clinicId, endpointId, url: claim.url, reason, at: now };
  }
}

/**
 * The delivery's row after a try: sent; or, failed, retried on the
 * schedule, failed for good at its end, or cancelled when its endpoint was
 * turned off meanwhile. The class and HTTP status of the latest answer kept.
 */
function settledColumns(
  claim: Claim,
  outcome: SendOutcome,
  endpointOff: boolean,
  now: Date,
): Record<string, unknown> {
  const retryAt = outcome.problem && !endpointOff ? nextAttemptAfter(claim.attempt, now) : null;
  const status: WebhookDeliveryStatus = !outcome.problem
    ? 'sent'
    : endpointOff
      ? 'cancelled'
      : retryAt
        ? 'pending'
        : 'failed';
  return {
    status,
    next_attempt_at: retryAt,
    last_attempt_at: claim.triedAt,
    last_problem: outcome.problem,
    last_http_status: outcome.httpStatus,
    sent_at: outcome.problem ? null : now,
    updated_at: now,
  };
}
