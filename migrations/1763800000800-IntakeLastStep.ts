import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The step a patient last saved, so that opening the link again resumes
 * there (or earlier, on a step with a required question unanswered) rather
 * than on the first step without answers, which skipped the rest of a
 * half-finished one.
 */
export class IntakeLastStep1763800000800 implements MigrationInterface {
  name = 'IntakeLastStep1763800000800';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "intakes" ADD "last_step" character varying(16)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "intakes" DROP COLUMN "last_step"`);
  }
}
