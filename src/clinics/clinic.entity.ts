import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('clinics')
@Check('clinics_name_not_blank', `length(btrim(name)) > 0`)
@Check(
  'clinics_reminder_days_valid',
  `cardinality(reminder_days) <= 3 AND COALESCE(1 <= ALL (reminder_days) AND 365 >= ALL (reminder_days), false)`,
)
export class ClinicEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'clinics_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** IANA time zone the clinic's pages show times in; null: the server's. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timeZone!: string | null;

  /** Every staff account signs in with a second factor (TOTP or a recovery code). */
  @Column({ type: 'boolean', default: true })
  mfaRequired!: boolean;

  /**
   * Whether emails to patients say the clinic's name. Off by default: a name
   * such as "... Hormone Clinic" tells whoever sees the inbox what it treats.
   */
  @Column({ type: 'boolean', default: false })
  nameInEmails!: boolean;

  /**
   * Days after a link is emailed on which a patient who has not sent the
   * intake is reminded, ascending, at most three; empty: no reminders.
   */
  @Column({ type: 'smallint', array: true, default: () => "'{3,7}'" })
  reminderDays!: number[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
