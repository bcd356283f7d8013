import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A patient's contact details (an optional email and phone, so the clinic
 * can reach them: email sending and reminders build on these) and archiving
 * (an archived patient leaves the list by default, keeps every record, and
 * their invitation links stop working until they are unarchived).
 *
 * The phone is kept as typed (trimmed): digits, spaces and + - ( ) only.
 * The service checks the 6-20 digits; the database keeps the characters and
 * the length, so nothing else can land there by another path.
 *
 * The list's indexes are left as they are: `archived_at IS NULL` is checked on
 * the rows the index walk finds, and archived patients are a small part of a
 * clinic's. The three audit actions join the vocabulary
 * (src/audit/audit-actions.ts): the constraint is replaced with the full list.
 */
const ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_throttled',
  'auth.sign_out',
  'auth.sign_in_password',
  'auth.mfa_verify',
  'auth.mfa_enrol',
  'auth.mfa_reset',
  'auth.recovery_codes_replaced',
  'auth.password_confirm',
  'auth.password_reset_issued',
  'auth.password_reset',
  'user.list',
  'user.invite',
  'user.invite_reissue',
  'user.join',
  'user.deactivate',
  'user.reactivate',
  'clinic.settings',
  'clinic.mfa_required',
  'audit.view',
  'audit.export',
  'patient.list',
  'patient.create',
  'patient.view',
  'patient.access_history',
  'patient.update',
  'patient.archive',
  'patient.unarchive',
  'invitation.list',
  'invitation.create',
  'invitation.revoke',
  'invitation.reissue',
  'intake.link_open',
  'intake.link_open_throttled',
  'intake.save',
  'intake.submit',
  'intake.view',
  'intake.review',
  'point.review',
  'assessment.view',
  'assessment.recompute',
  'handout.download',
];
const NEW = new Set(['patient.update', 'patient.archive', 'patient.unarchive']);

const constraint = (actions: readonly string[]) =>
  `ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_action_known" CHECK (action IN (${actions
    .map((action) => `'${action}'`)
    .join(', ')}))`;

export class PatientContactsArchive1763800001600 implements MigrationInterface {
  name = 'PatientContactsArchive1763800001600';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "patients"
        ADD "email" character varying(254),
        ADD "phone" character varying(32),
        ADD "archived_at" TIMESTAMP WITH TIME ZONE,
        ADD CONSTRAINT "patients_email_shape" CHECK (
          email IS NULL OR (email = btrim(email) AND email LIKE '_%@_%')
        ),
        ADD CONSTRAINT "patients_phone_shape" CHECK (
          phone IS NULL OR (phone = btrim(phone) AND phone ~ '^[0-9 +()-]+$')
        )
    `);
    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_action_known"`,
    );
    await queryRunner.query(constraint(ACTIONS));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_action_known"`,
    );
    await queryRunner.query(constraint(ACTIONS.filter((action) => !NEW.has(action))));
    await queryRunner.query(`
      ALTER TABLE "patients"
        DROP CONSTRAINT "patients_phone_shape",
        DROP CONSTRAINT "patients_email_shape",
        DROP COLUMN "archived_at",
        DROP COLUMN "phone",
        DROP COLUMN "email"
    `);
  }
}
