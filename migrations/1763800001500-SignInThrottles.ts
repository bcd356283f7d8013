import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in attempt counters, one row per key (an email and address pair, a
 * known browser, an address, an account), counted in one statement each so
 * concurrent attempts, on any instance, can never pass a limit. Keys are
 * stored as SHA-256 digests: no email or address sits in this table. A
 * slowed account hands its next slot to one attempt, named in `slot_holder`.
 */
export class SignInThrottles1763800001500 implements MigrationInterface {
  name = 'SignInThrottles1763800001500';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sign_in_throttles" (
        "key" bytea PRIMARY KEY,
        "attempts" integer NOT NULL,
        "window_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "next_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "slot_holder" uuid
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX "sign_in_throttles_window_idx" ON "sign_in_throttles" ("window_ends_at")`,
    );
    // The throttle no longer counts failures in the audit log.
    await queryRunner.query(`DROP INDEX "audit_events_sign_in_failures_email_idx"`);
    await queryRunner.query(`DROP INDEX "audit_events_sign_in_failures_ip_idx"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "audit_events_sign_in_failures_email_idx" ON "audit_events" (("detail" ->> 'email'), "occurred_at") WHERE "action" = 'auth.sign_in' AND "outcome" = 'failure'`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_sign_in_failures_ip_idx" ON "audit_events" ("ip", "occurred_at") WHERE "action" = 'auth.sign_in' AND "outcome" = 'failure'`,
    );
    await queryRunner.query(`DROP TABLE "sign_in_throttles"`);
  }
}
