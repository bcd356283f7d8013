import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A handout made ahead (queued when the intake is submitted or a mark
 * changes) has no clinician who asked for it: created_by may be null.
 */
export class HandoutsMadeAhead1763800001100 implements MigrationInterface {
  name = 'HandoutsMadeAhead1763800001100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "handouts" ALTER COLUMN "created_by" DROP NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "handouts" WHERE "created_by" IS NULL`);
    await queryRunner.query(`ALTER TABLE "handouts" ALTER COLUMN "created_by" SET NOT NULL`);
  }
}
