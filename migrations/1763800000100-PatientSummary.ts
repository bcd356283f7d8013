import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The latest state of one patient: the newest invitation that is not revoked
 * gives the protocol and, through its intake (if started), the status; the
 * newest submitted intake's newest assessment gives the pillars with
 * warnings. Later migrations redefine the refresh around this same query.
 */
export const SUMMARY_SQL = `
  UPDATE patients p SET
    protocol = latest.protocol,
    intake_status = coalesce(latest.status, 'none'),
    flagged_pillars = coalesce(flags.pillars, '{}'),
    last_activity_at = greatest(p.created_at, latest.created_at, latest.progressed_at)
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (
    SELECT inv.protocol, inv.created_at,
           coalesce(i.status, 'invited') AS status,
           greatest(i.created_at, i.submitted_at, i.reviewed_at) AS progressed_at
    FROM invitations inv
    LEFT JOIN intakes i ON i.clinic_id = inv.clinic_id AND i.invitation_id = inv.id
    WHERE inv.clinic_id = p_clinic AND inv.patient_id = p_patient AND inv.revoked_at IS NULL
    ORDER BY inv.created_at DESC, inv.id DESC
    LIMIT 1
  ) latest ON true
  LEFT JOIN LATERAL (
    SELECT a.flagged_pillars AS pillars
    FROM intakes i
    JOIN assessments a ON a.clinic_id = i.clinic_id AND a.intake_id = i.id
    WHERE i.clinic_id = p_clinic AND i.patient_id = p_patient AND i.status <> 'in_progress'
    ORDER BY i.submitted_at DESC, a.created_at DESC
    LIMIT 1
  ) flags ON true
  WHERE p.clinic_id = p_clinic AND p.id = p_patient`;

/**
 * The dashboard's patient list filters by protocol, intake status and pillars
 * with warnings, and sorts by latest activity, at 100,000 patients. Joining
 * invitations, intakes and assessments for that on every page view would not
 * stay fast, so each patient row carries a summary of its latest state,
 * kept by PostgreSQL itself: triggers on invitations, intakes and assessments
 * recompute it in the same transaction as the change, so it is never stale
 * and never half-written, whichever code path wrote.
 */
export class PatientSummary1763800000100 implements MigrationInterface {
  name = 'PatientSummary1763800000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "patients"
        ADD "protocol" character varying(32),
        ADD "intake_status" character varying(16) NOT NULL DEFAULT 'none',
        ADD "flagged_pillars" text array NOT NULL DEFAULT '{}',
        ADD "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        ADD CONSTRAINT "patients_intake_status_known" CHECK (
          intake_status IN ('none', 'invited', 'in_progress', 'submitted', 'reviewed')
        ),
        ADD CONSTRAINT "patients_protocol_known" CHECK (
          protocol IS NULL
          OR protocol IN ('trt', 'female_hormone_therapy', 'gh_peptide_therapy', 'post_trt_recovery', 'other')
        ),
        ADD CONSTRAINT "patients_flagged_pillars_known" CHECK (
          flagged_pillars <@ ARRAY ['diet', 'exercise', 'sleep', 'stress']::text []
        )
    `);
    await queryRunner.query(`UPDATE "patients" SET "last_activity_at" = "created_at"`);

    await queryRunner.query(`
      CREATE FUNCTION refresh_patient_summary(p_clinic uuid, p_patient uuid) RETURNS void
      LANGUAGE sql AS $$ ${SUMMARY_SQL} $$
    `);
    await queryRunner.query(`
      CREATE FUNCTION patients_summary_from_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_TABLE_NAME = 'assessments' THEN
            PERFORM refresh_patient_summary(NEW.clinic_id, i.patient_id)
              FROM intakes i WHERE i.clinic_id = NEW.clinic_id AND i.id = NEW.intake_id;
          ELSE
            PERFORM refresh_patient_summary(NEW.clinic_id, NEW.patient_id);
          END IF;
          RETURN NULL;
        END
      $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER "invitations_patient_summary" AFTER INSERT OR UPDATE OF "revoked_at" ON "invitations"
        FOR EACH ROW EXECUTE FUNCTION patients_summary_from_row()
    `);
    // Autosaves update answers only: they do not change the summary and do not fire this.
    await queryRunner.query(`
      CREATE TRIGGER "intakes_patient_summary" AFTER INSERT OR UPDATE OF "status" ON "intakes"
        FOR EACH ROW EXECUTE FUNCTION patients_summary_from_row()
    `);
    await queryRunner.query(`
      CREATE TRIGGER "assessments_patient_summary" AFTER INSERT ON "assessments"
        FOR EACH ROW EXECUTE FUNCTION patients_summary_from_row()
    `);
    await queryRunner.query(`SELECT refresh_patient_summary(clinic_id, id) FROM patients`);

    // The list's orders: by name (exists), by latest activity; and each with the status filter.
    await queryRunner.query(
      `CREATE INDEX "patients_clinic_activity_idx" ON "patients" ("clinic_id", "last_activity_at" DESC, "id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "patients_clinic_status_sort_idx" ON "patients" ("clinic_id", "intake_status", lower("family_name"), lower("given_name"), "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "patients_clinic_status_activity_idx" ON "patients" ("clinic_id", "intake_status", "last_activity_at" DESC, "id" DESC)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "patients_clinic_status_activity_idx"`);
    await queryRunner.query(`DROP INDEX "patients_clinic_status_sort_idx"`);
    await queryRunner.query(`DROP INDEX "patients_clinic_activity_idx"`);
    await queryRunner.query(`DROP TRIGGER "assessments_patient_summary" ON "assessments"`);
    await queryRunner.query(`DROP TRIGGER "intakes_patient_summary" ON "intakes"`);
    await queryRunner.query(`DROP TRIGGER "invitations_patient_summary" ON "invitations"`);
    await queryRunner.query(`DROP FUNCTION patients_summary_from_row()`);
    await queryRunner.query(`DROP FUNCTION refresh_patient_summary(uuid, uuid)`);
    await queryRunner.query(`
      ALTER TABLE "patients"
        DROP CONSTRAINT "patients_flagged_pillars_known",
        DROP CONSTRAINT "patients_protocol_known",
        DROP CONSTRAINT "patients_intake_status_known",
        DROP COLUMN "last_activity_at",
        DROP COLUMN "flagged_pillars",
        DROP COLUMN "intake_status",
        DROP COLUMN "protocol"
    `);
  }
}
