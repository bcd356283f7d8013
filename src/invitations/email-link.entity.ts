import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { sqlList } from '../common/protocol';
import { ClinicEntity } from '../clinics/clinic.entity';
import { DeliveryEntity } from '../mail/delivery.entity';
import { InvitationEntity } from './invitation.entity';

/** `open`: opens the invitation; `stop`: only stops its reminders. */
export const EMAIL_LINK_PURPOSES = ['open', 'stop'] as const;
export type EmailLinkPurpose = (typeof EMAIL_LINK_PURPOSES)[number];

/**
 * A link in one email: its own random token, stored only as its SHA-256.
 * Each try of each email makes two: one that opens the invitation as the
 * invitation's own link does (so a reminder or a retry carries a working
 * link although the invitation's token was never kept), and one that can
 * only stop the reminders (in the List-Unsubscribe header, which mail
 * systems may log). Revoking the invitation ends the opening ones with it;
 * re-issuing it, or changing the patient's address, deletes them.
 */
@Entity('email_links')
@ForeignKey(() => InvitationEntity, ['clinicId', 'invitationId'], ['clinicId', 'id'], {
  name: 'email_links_invitation_fkey',
  onDelete: 'RESTRICT',
})
@Check('email_links_token_hash_sha256', `octet_length(token_hash) = 32`)
@Check('email_links_purpose_known', `purpose IN (${sqlList(EMAIL_LINK_PURPOSES)})`)
@Index('email_links_invitation_idx', ['invitationId'])
export class EmailLinkEntity {
  @PrimaryColumn({ type: 'bytea', primaryKeyConstraintName: 'email_links_pkey' })
  tokenHash!: Buffer;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'email_links_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  @Column({ type: 'uuid' })
  invitationId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => DeliveryEntity, { name: 'email_links_delivery_id_fkey', onDelete: 'RESTRICT' })
  deliveryId!: string;

  @Column({ type: 'varchar', length: 8 })
  purpose!: EmailLinkPurpose;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
