import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { sqlList } from '../common/protocol';
import { ClinicEntity } from '../clinics/clinic.entity';
import { WEBHOOK_DELIVERY_TYPES, WebhookDeliveryType } from './webhook-event';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

/**
 * `pending`: due at `nextAttemptAt`; `sending`: an instance is sending it,
 * leased until `nextAttemptAt`; `sent`: the endpoint answered 2xx; `failed`:
 * every try of the schedule failed; `cancelled`: its endpoint was turned off
 * before it went.
 */
export const WEBHOOK_DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'cancelled',
] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * Why a try failed, as a class; never the response body. `status`: an
 * answer other than 2xx (its code in `lastHttpStatus`); `timeout`: no answer
 * in time; `dns`: the host name was not found; `connection`: refused, reset
 * or unreachable; `tls`: the certificate or handshake was refused;
 * `address`: the host name led to an address the service does not send to;
 * `secret`: the signing secret could not be opened (SESSION_SECRET changed);
 * `error`: anything else.
 */
export const WEBHOOK_PROBLEMS = [
  'status',
  'timeout',
  'dns',
  'connection',
  'tls',
  'address',
  'secret',
  'error',
] as const;
export type WebhookProblem = (typeof WEBHOOK_PROBLEMS)[number];

/**
 * One event for one endpoint, from the moment it happened: the outbox the
 * dispatcher tries from (see WebhookDispatcher), and the delivery log the
 * admin reads. Written in the same transaction as the change it reports.
 * `eventId` is the Standard Webhooks message id (`webhook-id`), the same on
 * every try and for every endpoint of one event, for receivers to drop
 * repeats. `data` holds identifiers only (see WebhookEventData).
 */
@Entity('webhook_deliveries')
@ForeignKey(() => WebhookEndpointEntity, ['clinicId', 'endpointId'], ['clinicId', 'id'], {
  name: 'webhook_deliveries_endpoint_fkey',
  onDelete: 'CASCADE',
})
@Check('webhook_deliveries_type_known', `event_type IN (${sqlList(WEBHOOK_DELIVERY_TYPES)})`)
@Check('webhook_deliveries_data_object', `jsonb_typeof(data) = 'object'`)
@Check('webhook_deliveries_status_known', `status IN (${sqlList(WEBHOOK_DELIVERY_STATUSES)})`)
@Check(
  'webhook_deliveries_attempts_counted',
  `attempts >= 0 AND (status NOT IN ('sending', 'sent', 'failed') OR attempts >= 1)`,
)
@Check(
  'webhook_deliveries_pending_has_next_attempt',
  `(status IN ('pending', 'sending')) = (next_attempt_at IS NOT NULL)`,
)
@Check('webhook_deliveries_sent_when', `(status = 'sent') = (sent_at IS NOT NULL)`)
@Check(
  'webhook_deliveries_problem_known',
  `last_problem IS NULL OR last_problem IN (${sqlList(WEBHOOK_PROBLEMS)})`,
)
@Check('webhook_deliveries_failed_says_why', `status <> 'failed' OR last_problem IS NOT NULL`)
@Check(
  'webhook_deliveries_http_status_valid',
  `(last_http_status IS NULL OR last_http_status BETWEEN 100 AND 599) AND (last_problem IS DISTINCT FROM 'status' OR last_http_status IS NOT NULL)`,
)
@Index('webhook_deliveries_event_key', ['endpointId', 'eventId'], { unique: true })
@Index('webhook_deliveries_endpoint_idx', ['endpointId', 'createdAt'])
@Index('webhook_deliveries_due_idx', ['nextAttemptAt'], {
  where: `status IN ('pending', 'sending')`,
})
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, {
    name: 'webhook_deliveries_clinic_id_fkey',
    onDelete: 'RESTRICT',
  })
  clinicId!: string;

  @Column({ type: 'uuid' })
  endpointId!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'varchar', length: 32 })
  eventType!: WebhookDeliveryType;

  @Column({ type: 'jsonb' })
  data!: Record<string, string>;

  /** When the change happened: the body's `timestamp`, the same on every try. */
  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: WebhookDeliveryStatus;

  /** Tries so far. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** While pending: when the next try is due; while sending: when the lease ends. */
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  /** When the latest try was made. */
  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  /** Why the latest try failed; null after a success or before any try. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  lastProblem!: WebhookProblem | null;

  /** The HTTP status of the latest answer, when there was one. */
  @Column({ type: 'smallint', nullable: true })
  lastHttpStatus!: number | null;

  /** When the endpoint answered 2xx. */
  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** When it last changed (a try ended, or it was cancelled). */
  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
