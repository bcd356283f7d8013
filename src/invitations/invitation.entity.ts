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
import { Protocol, PROTOCOLS, sqlList } from '../common/protocol';
import { ClinicEntity } from '../clinics/clinic.entity';
import { PatientEntity } from '../patients/patient.entity';
import { UserEntity } from '../users/user.entity';

/**
 * A link a patient opens to fill an intake. Only the SHA-256 of its random
 * token is stored; re-issuing revokes this one and makes a new one.
 */
@Entity('invitations')
@Unique('invitations_token_hash_key', ['tokenHash'])
@Unique('invitations_clinic_id_id_key', ['clinicId', 'id'])
@ForeignKey(() => PatientEntity, ['clinicId', 'patientId'], ['clinicId', 'id'], {
  name: 'invitations_patient_fkey',
  onDelete: 'RESTRICT',
})
@ForeignKey(() => UserEntity, ['clinicId', 'createdBy'], ['clinicId', 'id'], {
  name: 'invitations_created_by_fkey',
  onDelete: 'RESTRICT',
})
@Check('invitations_protocol_known', `protocol IN (${sqlList(PROTOCOLS)})`)
@Check('invitations_token_hash_sha256', `octet_length(token_hash) = 32`)
@Check('invitations_expiry_after_creation', `expires_at > created_at`)
@Index('invitations_patient_idx', ['patientId', 'createdAt'])
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'invitations_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'invitations_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  @Column({ type: 'uuid' })
  patientId!: string;

  @Column({ type: 'varchar', length: 32 })
  protocol!: Protocol;

  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstUsedAt!: Date | null;

  /** When the patient stopped reminder emails, from a link in one. */
  @Column({ type: 'timestamptz', nullable: true })
  remindersStoppedAt!: Date | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
