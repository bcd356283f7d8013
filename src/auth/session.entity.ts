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
import { InvitationEntity } from '../invitations/invitation.entity';
import { UserEntity } from '../users/user.entity';

export const SESSION_KINDS = ['clinician', 'patient'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
/**
 * A clinician's session is `complete` once every step of sign-in is done;
 * before that it is waiting for a code (`code`) or for the second factor to
 * be set up (`enrol`), and opens nothing else.
 */
export const SESSION_STAGES = ['complete', 'code', 'enrol'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];

/**
 * A server-side session behind an HttpOnly cookie: a clinician's after
 * sign-in, or a patient's after opening an invitation link. The cookie holds
 * a random token; only its SHA-256 is stored.
 */
@Entity('sessions')
@Unique('sessions_token_hash_key', ['tokenHash'])
@ForeignKey(() => UserEntity, ['clinicId', 'userId'], ['clinicId', 'id'], {
  name: 'sessions_user_fkey',
  onDelete: 'CASCADE',
})
@ForeignKey(() => InvitationEntity, ['clinicId', 'invitationId'], ['clinicId', 'id'], {
  name: 'sessions_invitation_fkey',
  onDelete: 'CASCADE',
})
@Check('sessions_kind_known', `kind IN (${sqlList(SESSION_KINDS)})`)
@Check(
  'sessions_subject_matches_kind',
  `(kind = 'clinician') = (user_id IS NOT NULL) AND (kind = 'patient') = (invitation_id IS NOT NULL)`,
)
@Check('sessions_stage_known', `stage IN (${sqlList(SESSION_STAGES)})`)
@Check('sessions_stage_clinician', `stage = 'complete' OR kind = 'clinician'`)
@Check('sessions_token_hash_sha256', `octet_length(token_hash) = 32`)
@Check('sessions_expiry_after_creation', `expires_at > created_at`)
@Index('sessions_user_idx', ['userId'])
@Index('sessions_expires_idx', ['expiresAt'])
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'sessions_pkey' })
  id!: string;

  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'varchar', length: 16 })
  kind!: SessionKind;

  @Column({ type: 'varchar', length: 8, default: 'complete' })
  stage!: SessionStage;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'sessions_clinic_id_fkey', onDelete: 'CASCADE' })
  clinicId!: string;

  @Column({ type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  invitationId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Moved forward on activity; the idle timeout counts from here. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastSeenAt!: Date;

  /** The absolute timeout: the session ends here whatever the activity. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
