import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admins invite clinicians: an invited user has no password yet, only the
 * SHA-256 of a one-time "set your password" link token and its expiry. The
 * link is consumed when the password is chosen. Also an index for the admin's
 * audit log, read newest first by id with keyset paging.
 */
export class StaffInvitations1763800000200 implements MigrationInterface {
  name = 'StaffInvitations1763800000200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "users" ADD "invitation_token_hash" bytea`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD "invitation_expires_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_invitation_token_hash_key" UNIQUE ("invitation_token_hash")`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_invitation_token_hash_sha256" CHECK (octet_length(invitation_token_hash) = 32)`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_invitation_complete" CHECK ((invitation_token_hash IS NULL) = (invitation_expires_at IS NULL))`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_password_or_invitation" CHECK ((password_hash IS NULL) <> (invitation_token_hash IS NULL))`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_signed_in_has_password" CHECK (last_sign_in_at IS NULL OR password_hash IS NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_clinic_id_idx" ON "audit_events" ("clinic_id", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_events_clinic_id_idx"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_signed_in_has_password"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_password_or_invitation"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_invitation_complete"`);
    await queryRunner.query(
      `ALTER TABLE "users" DROP CONSTRAINT "users_invitation_token_hash_sha256"`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" DROP CONSTRAINT "users_invitation_token_hash_key"`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "invitation_expires_at"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "invitation_token_hash"`);
    // Users invited but not yet joined keep their row (others may refer to it) with a
    // value that is no argon2 hash, so no password ever matches it.
    await queryRunner.query(
      `UPDATE "users" SET "password_hash" = '!not-joined' WHERE "password_hash" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "password_hash" SET NOT NULL`);
  }
}
