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
 * clinic's. (The three audit actions join the vocabulary in 1800-AuditActions.)
 */
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
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
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
