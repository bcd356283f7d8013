import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ClinicEntity } from '../clinics/clinic.entity';
import { DeliveryEntity } from '../mail/delivery.entity';
import { InvitationEntity } from './invitation.entity';

/**
 * The link in one email: its own random token, stored only as its SHA-256,
 * that opens the invitation as the invitation's own link does. Each try of
 * each email makes one, so a reminder or a retry carries a working link
 * although the invitation's token was never kept. Revoking the invitation
 * ends them with it; re-issuing deletes them (the old emails' links die with
 * the old link).
 */
@Entity('email_links')
@ForeignKey(() => InvitationEntity, ['clinicId', 'invitationId'], ['clinicId', 'id'], {
  name: 'email_links_invitation_fkey',
  onDelete: 'RESTRICT',
})
@Check('email_links_token_hash_sha256', `octet_length(token_hash) = 32`)
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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
