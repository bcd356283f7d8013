import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitation links sent by email: each send recorded in `deliveries` (the
 * invitation, the expiry of the link as sent, the kind, sent or failed,
 * attempts, the class of the last error, times; never the address or the
 * content), and the clinic's choice
 * whether emails to patients name it (off: a name can say what it treats).
 */
export class InvitationEmails1763800002000 implements MigrationInterface {
  name = 'InvitationEmails1763800002000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "clinics" ADD "name_in_emails" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(`CREATE TABLE "deliveries" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "clinic_id" uuid NOT NULL,
      "invitation_id" uuid NOT NULL,
      "kind" character varying(32) NOT NULL,
      "status" character varying(16) NOT NULL,
      "attempts" integer NOT NULL DEFAULT 1,
      "last_error" character varying(32),
      "link_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "deliveries_kind_known" CHECK (kind IN ('invitation')),
      CONSTRAINT "deliveries_status_known" CHECK (status IN ('sent', 'failed')),
      CONSTRAINT "deliveries_last_error_known" CHECK (last_error IS NULL OR last_error IN ('refused', 'unavailable', 'sign_in', 'timeout', 'error')),
      CONSTRAINT "deliveries_failed_says_why" CHECK (status <> 'failed' OR last_error IS NOT NULL),
      CONSTRAINT "deliveries_attempts_positive" CHECK (attempts >= 1),
      CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "deliveries_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT,
      CONSTRAINT "deliveries_invitation_fkey" FOREIGN KEY ("clinic_id", "invitation_id") REFERENCES "invitations"("clinic_id", "id") ON DELETE RESTRICT
    )`);
    await queryRunner.query(
      `CREATE INDEX "deliveries_invitation_idx" ON "deliveries" ("invitation_id", "created_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "deliveries"`);
    await queryRunner.query(`ALTER TABLE "clinics" DROP COLUMN "name_in_emails"`);
  }
}
