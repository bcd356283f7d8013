import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The clinic's time zone (an IANA name such as Europe/Berlin), in which its
 * pages show dates and times. Unset: the server's own zone.
 */
export class ClinicTimeZone1763800000900 implements MigrationInterface {
  name = 'ClinicTimeZone1763800000900';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clinics" ADD "time_zone" character varying(64)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clinics" DROP COLUMN "time_zone"`);
  }
}
