import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each periodic job (the session sweep) may next run, shared by every
 * instance on the database: an instance runs a job only when it moves this
 * time forward, so a job runs once per period however many instances run.
 */
export class PeriodicJobs1763800001000 implements MigrationInterface {
  name = 'PeriodicJobs1763800001000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "periodic_jobs" ("name" character varying(64) PRIMARY KEY, "next_run_at" TIMESTAMP WITH TIME ZONE NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "periodic_jobs"`);
  }
}
