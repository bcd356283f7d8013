import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitation links are throttled per client address, counting refused opens
 * (unknown, expired or revoked links) from the audit log in a time window,
 * as sign-ins are. This partial index serves that count.
 */
export class LinkAttemptIndex1763800000300 implements MigrationInterface {
  name = 'LinkAttemptIndex1763800000300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "audit_events_link_open_failures_ip_idx" ON "audit_events" ("ip", "occurred_at") WHERE "action" = 'intake.link_open' AND "outcome" IN ('failure', 'denied')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_events_link_open_failures_ip_idx"`);
  }
}
