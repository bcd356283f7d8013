import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { UserEntity } from '../users/user.entity';

/** One of a staff member's ten single-use recovery codes: its SHA-256 only. */
@Entity('mfa_recovery_codes')
@Unique('mfa_recovery_codes_user_code_key', ['userId', 'codeHash'])
@Check('mfa_recovery_codes_code_hash_sha256', `octet_length(code_hash) = 32`)
export class RecoveryCodeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'mfa_recovery_codes_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => UserEntity, { name: 'mfa_recovery_codes_user_id_fkey', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'bytea' })
  codeHash!: Buffer;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
