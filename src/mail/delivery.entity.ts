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
import { InvitationEntity } from '../invitations/invitation.entity';

/** What an email carried: the invitation link, or a reminder of it. */
export const DELIVERY_KINDS = ['invitation', 'reminder'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/**
 * `pending`: due at `nextAttemptAt` (first try or a retry); `sending`: an
 * instance is sending it, leased until `nextAttemptAt` (if it dies, another
 * takes it up then); `sent`: the mail server took it; `failed`: every try
 * failed; `cancelled`: not sent, and never will be, for `stoppedBecause`.
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Why a send failed, as a class (never the server's words, which may quote
 * the address): see deliveryProblemOf in mailer.ts.
 */
export const DELIVERY_PROBLEMS = ['refused', 'unavailable', 'sign_in', 'timeout', 'error'] as const;
export type DeliveryProblem = (typeof DELIVERY_PROBLEMS)[number];

/** Why an email was not sent after all: see stopReason in reminder-schedule.ts. */
export const DELIVERY_STOPS = [
  'submitted',
  'revoked',
  'reissued',
  'expired',
  'archived',
  'opted_out',
  'no_address',
  'superseded',
] as const;
export type DeliveryStop = (typeof DELIVERY_STOPS)[number];

/**
 * One email to a patient about an invitation link, from the moment it is
 * due: the invitation email (sequence 0) or reminder number `sequence`,
 * and what became of it. Never the address, never the content. The rows
 * are the outbox: instances pick pending ones that are due (see
 * InvitationOutbox), so each is sent by one of them.
 */
@Entity('deliveries')
@ForeignKey(() => InvitationEntity, ['clinicId', 'invitationId'], ['clinicId', 'id'], {
  name: 'deliveries_invitation_fkey',
  onDelete: 'RESTRICT',
})
@Check('deliveries_kind_known', `kind IN (${sqlList(DELIVERY_KINDS)})`)
@Check('deliveries_status_known', `status IN (${sqlList(DELIVERY_STATUSES)})`)
@Check(
  'deliveries_last_error_known',
  `last_error IS NULL OR last_error IN (${sqlList(DELIVERY_PROBLEMS)})`,
)
@Check('deliveries_failed_says_why', `status <> 'failed' OR last_error IS NOT NULL`)
@Check(
  'deliveries_attempts_counted',
  `attempts >= 0 AND (status NOT IN ('sending', 'sent', 'failed') OR attempts >= 1)`,
)
@Check(
  'deliveries_pending_has_next_attempt',
  `(status IN ('pending', 'sending')) = (next_attempt_at IS NOT NULL)`,
)
@Check('deliveries_sent_when', `(status = 'sent') = (sent_at IS NOT NULL)`)
@Check('deliveries_cancelled_says_why', `(status = 'cancelled') = (stopped_because IS NOT NULL)`)
@Check(
  'deliveries_stopped_because_known',
  `stopped_because IS NULL OR stopped_because IN (${sqlList(DELIVERY_STOPS)})`,
)
@Check(
  'deliveries_sequence_fits_kind',
  `(kind = 'invitation') = (sequence = 0) AND sequence BETWEEN 0 AND 3`,
)
@Index('deliveries_invitation_idx', ['invitationId', 'createdAt'])
@Index('deliveries_reminder_key', ['invitationId', 'linkExpiresAt', 'sequence'], {
  unique: true,
  where: `kind = 'reminder'`,
})
@Index('deliveries_due_idx', ['nextAttemptAt'], { where: `status IN ('pending', 'sending')` })
export class DeliveryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'deliveries_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'deliveries_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  @Column({ type: 'uuid' })
  invitationId!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: DeliveryKind;

  /** 0 for the invitation email; 1, 2, 3 for the reminders of one issue of the link. */
  @Column({ type: 'smallint', default: 0 })
  sequence!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  /** Tries so far. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 32, nullable: true })
  lastError!: DeliveryProblem | null;

  /**
   * The expiry of the link as emailed: re-issuing gives the invitation a new
   * token and expiry, so an email of the old link no longer speaks for it.
   */
  @Column({ type: 'timestamptz' })
  linkExpiresAt!: Date;

  /** When it was to go first (the schedule's day for a reminder). */
  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  /** While pending: when the next try is due; while sending: when the lease ends. */
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  /** When the mail server took it. */
  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  stoppedBecause!: DeliveryStop | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** When it last changed (a try ended, or it was stopped). */
  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
