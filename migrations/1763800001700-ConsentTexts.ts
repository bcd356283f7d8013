import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent before the first question: each clinic's privacy notice, in
 * versions that are never changed (an admin's save adds the next), and on
 * each intake the version its patient agreed to and when. Intakes from
 * before keep null: one in progress asks at its next page, a submitted one
 * shows "not recorded". Clinics get version 1 (the product's default) the
 * first time a patient or an admin needs it.
 */
export class ConsentTexts1763800001700 implements MigrationInterface {
  name = 'ConsentTexts1763800001700';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "consent_texts" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "clinic_id" uuid NOT NULL,
      "version" integer NOT NULL,
      "body" text NOT NULL,
      "contact" character varying(300),
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by" uuid,
      CONSTRAINT "consent_texts_clinic_version_key" UNIQUE ("clinic_id", "version"),
      CONSTRAINT "consent_texts_clinic_id_version_key" UNIQUE ("clinic_id", "id", "version"),
      CONSTRAINT "consent_texts_version_positive" CHECK (version >= 1),
      CONSTRAINT "consent_texts_body_length" CHECK (length(btrim(body)) > 0 AND length(body) <= 10000),
      CONSTRAINT "consent_texts_contact_not_blank" CHECK (contact IS NULL OR length(btrim(contact)) > 0),
      CONSTRAINT "consent_texts_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "consent_texts_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT,
      CONSTRAINT "consent_texts_created_by_fkey" FOREIGN KEY ("clinic_id", "created_by") REFERENCES "users"("clinic_id", "id") ON DELETE RESTRICT
    )`);
    await queryRunner.query(`ALTER TABLE "intakes"
      ADD "consent_text_id" uuid,
      ADD "consent_version" integer,
      ADD "consented_at" TIMESTAMP WITH TIME ZONE,
      ADD CONSTRAINT "intakes_consent_complete" CHECK ((consent_text_id IS NULL) = (consented_at IS NULL) AND (consent_text_id IS NULL) = (consent_version IS NULL)),
      ADD CONSTRAINT "intakes_consent_text_fkey" FOREIGN KEY ("clinic_id", "consent_text_id", "consent_version") REFERENCES "consent_texts"("clinic_id", "id", "version") ON DELETE RESTRICT`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "intakes"
      DROP CONSTRAINT "intakes_consent_text_fkey",
      DROP CONSTRAINT "intakes_consent_complete",
      DROP COLUMN "consented_at",
      DROP COLUMN "consent_version",
      DROP COLUMN "consent_text_id"`);
    await queryRunner.query(`DROP TABLE "consent_texts"`);
  }
}
