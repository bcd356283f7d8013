import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { ClinicEntity } from '../clinics/clinic.entity';
import { UserEntity } from '../users/user.entity';

/** The longest privacy notice an admin may save, in characters. */
export const CONSENT_TEXT_MAX = 10_000;
/** The longest contact line shown with it. */
export const CONSENT_CONTACT_MAX = 300;

/**
 * One version of a clinic's privacy notice, which the patient reads and
 * agrees to before the first question. Versions are never changed: an admin's
 * save adds the next one, and an intake names the version its patient agreed
 * to. Version 1 of a clinic that never wrote its own is the product's default
 * (no author).
 */
@Entity('consent_texts')
@Unique('consent_texts_clinic_version_key', ['clinicId', 'version'])
@Unique('consent_texts_clinic_id_version_key', ['clinicId', 'id', 'version'])
@ForeignKey(() => UserEntity, ['clinicId', 'createdBy'], ['clinicId', 'id'], {
  name: 'consent_texts_created_by_fkey',
  onDelete: 'RESTRICT',
})
@Check('consent_texts_version_positive', `version >= 1`)
@Check(
  'consent_texts_body_length',
  `length(btrim(body)) > 0 AND length(body) <= ${CONSENT_TEXT_MAX}`,
)
@Check('consent_texts_contact_not_blank', `contact IS NULL OR length(btrim(contact)) > 0`)
export class ConsentTextEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'consent_texts_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'consent_texts_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  body!: string;

  /** How to reach the clinic, shown with the notice and on the "you did not agree" page. */
  @Column({ type: 'varchar', length: CONSENT_CONTACT_MAX, nullable: true })
  contact!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** The admin who saved it; null for the product's default. */
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;
}
