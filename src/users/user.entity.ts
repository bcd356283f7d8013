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

export const USER_ROLES = ['clinician', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

@Entity('users')
@Unique('users_email_key', ['email'])
@Unique('users_clinic_id_id_key', ['clinicId', 'id'])
@Check('users_email_normalised', `email = lower(btrim(email)) AND position('@' in email) > 1`)
@Check('users_role_known', `role IN (${sqlList(USER_ROLES)})`)
@Check('users_display_name_not_blank', `length(btrim(display_name)) > 0`)
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

  /** argon2id PHC string. */
  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
