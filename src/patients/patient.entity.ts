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
import { Pillar, PILLARS } from '../common/pillar';
import { Protocol, PROTOCOLS, sqlList } from '../common/protocol';
import { UserEntity } from '../users/user.entity';

/** Where the patient is, by their newest invitation: not invited, invited, or its intake's status. */
export const PATIENT_INTAKE_STATUSES = [
  'none',
  'invited',
  'in_progress',
  'submitted',
  'reviewed',
] as const;
export type PatientIntakeStatus = (typeof PATIENT_INTAKE_STATUSES)[number];

/**
 * A patient holds minimal identifiers only: a name, the clinic's own
 * reference (chart number) and optional contact details (email, phone),
 * shown to the clinic's staff only and never logged. Health data lives in
 * intakes. An archived patient keeps every record; their links stop working.
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
@Check('patients_email_shape', `email IS NULL OR (email = btrim(email) AND email LIKE '_%@_%')`)
@Check(
  'patients_phone_shape',
  `phone IS NULL OR (phone = btrim(phone) AND phone ~ '^[0-9 +()-]+$')`,
)
@Check('patients_intake_status_known', `intake_status IN (${sqlList(PATIENT_INTAKE_STATUSES)})`)
@Check('patients_protocol_known', `protocol IS NULL OR protocol IN (${sqlList(PROTOCOLS)})`)
@Check('patients_flagged_pillars_known', `flagged_pillars <@ ARRAY[${sqlList(PILLARS)}]::text[]`)
@Check('patients_thin_pillars_known', `thin_pillars <@ ARRAY[${sqlList(PILLARS)}]::text[]`)
// Dashboard: alphabetical list with keyset paging, and search by name or reference.
@Index('patients_clinic_sort_idx', { synchronize: false })
@Index('patients_search_trgm_idx', { synchronize: false })
// ...and by latest activity, each order also with the status filter (migration PatientSummary).
@Index('patients_clinic_activity_idx', { synchronize: false })
@Index('patients_clinic_status_sort_idx', { synchronize: false })
@Index('patients_clinic_status_activity_idx', { synchronize: false })
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

  /** To reach the patient (links, reminders); checked as sign-in emails are. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  /** As typed, trimmed: digits, spaces and + - ( ), 6 to 20 digits. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  /** Set while archived: out of the list by default, links refused, no new link. */
  @Column({ type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  // The summary below is kept by PostgreSQL triggers (migration PatientSummary), never written here.

  /** The protocol of the newest invitation that is not revoked. */
  @Column({ type: 'varchar', length: 32, nullable: true, insert: false, update: false })
  protocol!: Protocol | null;

  @Column({ type: 'varchar', length: 16, default: 'none', insert: false, update: false })
  intakeStatus!: PatientIntakeStatus;

  /** Pillars with warnings in the newest submitted intake's newest assessment. */
  @Column({ type: 'text', array: true, default: () => `'{}'`, insert: false, update: false })
  flaggedPillars!: Pillar[];

  /** Pillars of that assessment with too few answers to assess. */
  @Column({ type: 'text', array: true, default: () => `'{}'`, insert: false, update: false })
  thinPillars!: Pillar[];

  @Column({ type: 'timestamptz', default: () => 'now()', insert: false, update: false })
  lastActivityAt!: Date;
}
