import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Handouts follow the clinician's review: a point marked "not relevant"
 * leaves the patient's notes, and the guide shows each point's mark. So a
 * stored handout is kept per review state too: `review_digest` is the SHA-256
 * of the marks it was made with and the clinic's time zone its dates are in
 * ('' for the PDFs stored before), and a changed mark misses the stored PDF
 * and makes a new one.
 */
export class HandoutReviewState1763800000700 implements MigrationInterface {
  name = 'HandoutReviewState1763800000700';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "handouts"
        ADD "review_digest" character varying(64) NOT NULL DEFAULT '',
        DROP CONSTRAINT "handouts_assessment_kind_template_paper_key",
        ADD CONSTRAINT "handouts_assessment_kind_template_paper_review_key"
          UNIQUE ("assessment_id", "kind", "template_version", "paper", "review_digest")
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "handouts" WHERE "review_digest" <> ''`);
    await queryRunner.query(`
      ALTER TABLE "handouts"
        DROP CONSTRAINT "handouts_assessment_kind_template_paper_review_key",
        DROP COLUMN "review_digest",
        ADD CONSTRAINT "handouts_assessment_kind_template_paper_key"
          UNIQUE ("assessment_id", "kind", "template_version", "paper")
    `);
  }
}
