import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { sqlList } from '../common/protocol';
import { ClinicEntity } from '../clinics/clinic.entity';
import { UserEntity } from '../users/user.entity';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from './webhook-event';

/**
 * Why an endpoint is off: `admin`, an admin turned it off; `failing`, no
 * delivery to it succeeded for a day (see webhook-schedule.ts); `gone`, it
 * answered 410 Gone, which Standard Webhooks reads as "send no more".
 */
export const WEBHOOK_DISABLED_REASONS = ['admin', 'failing', 'gone'] as const;
export type WebhookDisabledReason = (typeof WEBHOOK_DISABLED_REASONS)[number];

/**
 * An https address of another system of the clinic, and the events it is
 * sent. Its signing secret is kept sealed (AES-256-GCM under a key derived
 * from SESSION_SECRET, see WebhookSecrets): the service must read it back
 * to sign, so a hash would not do, and a database dump alone cannot sign.
 */
@Entity('webhook_endpoints')
@Unique('webhook_endpoints_clinic_id_id_key', ['clinicId', 'id'])
@ForeignKey(() => UserEntity, ['clinicId', 'createdBy'], ['clinicId', 'id'], {
  name: 'webhook_endpoints_created_by_fkey',
  onDelete: 'RESTRICT',
})
@Check('webhook_endpoints_url_http', `url ~ '^https?://'`)
@Check(
  'webhook_endpoints_events_known',
  `cardinality(events) >= 1 AND events <@ ARRAY[${sqlList(WEBHOOK_EVENT_TYPES)}]::text[]`,
)
@Check('webhook_endpoints_secret_sealed', `octet_length(secret_sealed) > 28`)
@Check('webhook_endpoints_disabled_says_why', `(disabled_at IS NULL) = (disabled_reason IS NULL)`)
@Check(
  'webhook_endpoints_disabled_reason_known',
  `disabled_reason IS NULL OR disabled_reason IN (${sqlList(WEBHOOK_DISABLED_REASONS)})`,
)
@Index('webhook_endpoints_clinic_idx', ['clinicId', 'createdAt'])
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'webhook_endpoints_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, {
    name: 'webhook_endpoints_clinic_id_fkey',
    onDelete: 'RESTRICT',
  })
  clinicId!: string;

  /** As checked and normalised when registered (see checkEndpointUrl). */
  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Column({ type: 'text', array: true })
  events!: WebhookEventType[];

  /** The signing secret's bytes, sealed: IV, tag, ciphertext. */
  @Column({ type: 'bytea' })
  secretSealed!: Buffer;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Off since then: nothing new is written for it and its waiting deliveries were cancelled. */
  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  disabledReason!: WebhookDisabledReason | null;

  /**
   * When the first failed try since its last success was made; null while
   * deliveries succeed. A day of failures turns the endpoint off.
   */
  @Column({ type: 'timestamptz', nullable: true })
  failingSince!: Date | null;
}
