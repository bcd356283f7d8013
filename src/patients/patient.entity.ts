import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { ClinicEntity } from '../clinics/clinic.entity';
import { UserEntity } from '../users/user.entity';

/**
 * A patient holds minimal identifiers only: a name and the clinic's own
 * reference (chart number). Health data lives in intakes.
 */
@Entity('patients')
@Unique('patients_clinic_id_id_key', ['clinicId', 'id'])
@Unique('patients_clinic_id_reference_key', ['clinicId', 'reference'])
@ForeignKey(() => UserEntity, ['clinicId', 'createdBy'], ['clinicId', 'id'], {
  name: 'patients_created_by_fkey',
  onDelete: 'RESTRICT',
})
@Check(
  'patients_names_not_blank',
  `length(btrim(given_name)) > 0 AND length(btrim(family_name)) > 0`,
)
@Check('patients_reference_not_blank', `reference IS NULL OR length(btrim(reference)) > 0`)
// Dashboard: alphabetical list with keyset paging, and search by name or reference.
@Index('patients_clinic_sort_idx', { synchronize: false })
@Index('patients_search_trgm_idx', { synchronize: false })
export class PatientEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'patients_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'patients_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  @Column({ type: 'varchar', length: 100 })
  givenName!: string;

  @Column({ type: 'varchar', length: 100 })
  familyName!: string;

  /** The clinic's own identifier for the patient, unique within the clinic. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  reference!: string | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
