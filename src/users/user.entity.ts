import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { sqlList } from '../common/protocol';
import { ClinicEntity } from '../clinics/clinic.entity';
import { SessionEntity } from '../auth/session.entity';

export const USER_ROLES = ['clinician', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

@Entity('users')
@Unique('users_email_key', ['email'])
@Unique('users_clinic_id_id_key', ['clinicId', 'id'])
@Check('users_email_normalised', `email = lower(btrim(email)) AND position('@' in email) > 1`)
@Check('users_role_known', `role IN (${sqlList(USER_ROLES)})`)
@Check('users_display_name_not_blank', `length(btrim(display_name)) > 0`)
@Unique('users_invitation_token_hash_key', ['invitationTokenHash'])
@Check('users_invitation_token_hash_sha256', `octet_length(invitation_token_hash) = 32`)
@Check(
  'users_invitation_complete',
  `(invitation_token_hash IS NULL) = (invitation_expires_at IS NULL)`,
)
// A user has a password (joined) or a pending "set your password" link (invited), never both.
@Check('users_password_or_invitation', `(password_hash IS NULL) <> (invitation_token_hash IS NULL)`)
@Check('users_signed_in_has_password', `last_sign_in_at IS NULL OR password_hash IS NOT NULL`)
@Check('users_mfa_complete', `(mfa_secret IS NULL) = (mfa_enrolled_at IS NULL)`)
@Check('users_mfa_pending_complete', `(mfa_pending_secret IS NULL) = (mfa_pending_at IS NULL)`)
@Unique('users_password_reset_token_hash_key', ['passwordResetTokenHash'])
@Check(
  'users_password_reset_complete',
  `(password_reset_token_hash IS NULL) = (password_reset_expires_at IS NULL)`,
)
@Check('users_password_reset_token_hash_sha256', `octet_length(password_reset_token_hash) = 32`)
// A reset link replaces a password; a user still to choose their first has a welcome link instead.
@Check(
  'users_password_reset_has_password',
  `password_reset_token_hash IS NULL OR password_hash IS NOT NULL`,
)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'users_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'users_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  /** Stored lower-case; sign-in compares lower-cased input. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 120 })
  displayName!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  /** argon2id PHC string; null until an invited user has chosen a password. */
  @Column({ type: 'text', nullable: true })
  passwordHash!: string | null;

  /** SHA-256 of the one-time "set your password" link token of an invited user. */
  @Column({ type: 'bytea', nullable: true })
  invitationTokenHash!: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  invitationExpiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  /** The TOTP secret, sealed with the server's secret (SecretBox); null until enrolled. */
  @Column({ type: 'bytea', nullable: true })
  mfaSecret!: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  mfaEnrolledAt!: Date | null;

  /** The last TOTP time step accepted: a code is good once. */
  @Column({ type: 'bigint', nullable: true })
  mfaLastStep!: string | null;

  /** A secret shown for setting up, sealed, until a code from it confirms it. */
  @Column({ type: 'bytea', nullable: true })
  mfaPendingSecret!: Buffer | null;

  /** The session that was shown it: no other may see or confirm it (null once that session ends). */
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => SessionEntity, {
    name: 'users_mfa_pending_session_id_fkey',
    onDelete: 'SET NULL',
  })
  mfaPendingSessionId!: string | null;

  /** When it was made: it lasts ten minutes. */
  @Column({ type: 'timestamptz', nullable: true })
  mfaPendingAt!: Date | null;

  /** Wrong second-step codes since the last right one; past a limit, only a reset lets in. */
  @Column({ type: 'integer', default: 0 })
  mfaFailures!: number;

  /** SHA-256 of an admin-issued one-time password reset link's token. */
  @Column({ type: 'bytea', nullable: true })
  passwordResetTokenHash!: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  passwordResetExpiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
