import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-step sign-in: a staff member's TOTP secret (sealed with the server's
 * secret), the last time step accepted (a code is good once), consecutive
 * wrong codes, a secret being set up (for one session, ten minutes), ten single-use recovery codes (SHA-256 only), a one-time password
 * reset link an admin issues, the clinic's "require it" switch (on for new
 * clinics; clinics that existed before keep signing in as they did until an
 * admin turns it on), and the stage of a session that has passed the
 * password but not yet the second step.
 */
export class SecondFactor1763800001510 implements MigrationInterface {
  name = 'SecondFactor1763800001510';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users"
      ADD "mfa_secret" bytea,
      ADD "mfa_enrolled_at" TIMESTAMP WITH TIME ZONE,
      ADD "mfa_last_step" bigint,
      ADD "mfa_pending_secret" bytea,
      ADD "mfa_pending_session_id" uuid,
      ADD "mfa_pending_at" TIMESTAMP WITH TIME ZONE,
      ADD "mfa_failures" integer NOT NULL DEFAULT 0,
      ADD "password_reset_token_hash" bytea,
      ADD "password_reset_expires_at" TIMESTAMP WITH TIME ZONE,
      ADD CONSTRAINT "users_mfa_complete" CHECK ((mfa_secret IS NULL) = (mfa_enrolled_at IS NULL)),
      ADD CONSTRAINT "users_mfa_pending_complete" CHECK ((mfa_pending_secret IS NULL) = (mfa_pending_at IS NULL)),
      ADD CONSTRAINT "users_mfa_pending_session_id_fkey" FOREIGN KEY ("mfa_pending_session_id") REFERENCES "sessions"("id") ON DELETE SET NULL,
      ADD CONSTRAINT "users_password_reset_complete" CHECK ((password_reset_token_hash IS NULL) = (password_reset_expires_at IS NULL)),
      ADD CONSTRAINT "users_password_reset_token_hash_sha256" CHECK (octet_length(password_reset_token_hash) = 32),
      ADD CONSTRAINT "users_password_reset_has_password" CHECK (password_reset_token_hash IS NULL OR password_hash IS NOT NULL),
      ADD CONSTRAINT "users_password_reset_token_hash_key" UNIQUE ("password_reset_token_hash")`);
    await queryRunner.query(`CREATE TABLE "mfa_recovery_codes" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL,
      "code_hash" bytea NOT NULL,
      "used_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "mfa_recovery_codes_code_hash_sha256" CHECK (octet_length(code_hash) = 32),
      CONSTRAINT "mfa_recovery_codes_user_code_key" UNIQUE ("user_id", "code_hash"),
      CONSTRAINT "mfa_recovery_codes_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "mfa_recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
    )`);
    await queryRunner.query(
      `ALTER TABLE "clinics" ADD "mfa_required" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(`ALTER TABLE "clinics" ALTER COLUMN "mfa_required" SET DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "sessions"
      ADD "stage" character varying(8) NOT NULL DEFAULT 'complete',
      ADD CONSTRAINT "sessions_stage_known" CHECK (stage IN ('complete', 'code', 'enrol')),
      ADD CONSTRAINT "sessions_stage_clinician" CHECK (stage = 'complete' OR kind = 'clinician')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "sessions" DROP CONSTRAINT "sessions_stage_clinician", DROP CONSTRAINT "sessions_stage_known", DROP COLUMN "stage"`,
    );
    await queryRunner.query(`ALTER TABLE "clinics" DROP COLUMN "mfa_required"`);
    await queryRunner.query(`DROP TABLE "mfa_recovery_codes"`);
    await queryRunner.query(`ALTER TABLE "users"
      DROP CONSTRAINT "users_password_reset_token_hash_key",
      DROP CONSTRAINT "users_password_reset_has_password",
      DROP CONSTRAINT "users_password_reset_token_hash_sha256",
      DROP CONSTRAINT "users_password_reset_complete",
      DROP CONSTRAINT "users_mfa_pending_session_id_fkey",
      DROP CONSTRAINT "users_mfa_pending_complete",
      DROP CONSTRAINT "users_mfa_complete",
      DROP COLUMN "password_reset_expires_at",
      DROP COLUMN "password_reset_token_hash",
      DROP COLUMN "mfa_failures",
      DROP COLUMN "mfa_pending_at",
      DROP COLUMN "mfa_pending_session_id",
      DROP COLUMN "mfa_pending_secret",
      DROP COLUMN "mfa_last_step",
      DROP COLUMN "mfa_enrolled_at",
      DROP COLUMN "mfa_secret"`);
  }
}
