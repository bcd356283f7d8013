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

/** What a delivery carried: the invitation link (reminders will join). */
export const DELIVERY_KINDS = ['invitation'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export const DELIVERY_STATUSES = ['sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Why a send failed, as a class (never the server's words, which may quote
 * the address): see deliveryProblemOf in mailer.ts.
 */
export const DELIVERY_PROBLEMS = ['refused', 'unavailable', 'sign_in', 'timeout', 'error'] as const;
export type DeliveryProblem = (typeof DELIVERY_PROBLEMS)[number];

/**
 * One email to a patient about an invitation link, and what became of it:
 * sent (the mail server accepted it) or failed, after how many attempts,
 * with the class of the last error. Never the address, never the content.
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
@Check('deliveries_attempts_positive', `attempts >= 1`)
@Index('deliveries_invitation_idx', ['invitationId', 'createdAt'])
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

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 1 })
  attempts!: number;

  @Column({ type: 'varchar', length: 32, nullable: true })
  lastError!: DeliveryProblem | null;

  /**
   * The expiry of the link as emailed: re-issuing gives the invitation a new
   * token and expiry, so an email of the old link no longer speaks for it.
   */
  @Column({ type: 'timestamptz' })
  linkExpiresAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** When the last attempt ended. */
  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
