import { MigrationInterface, QueryRunner } from 'typeorm';
import { SUMMARY_SQL } from './1763800000100-PatientSummary';

/** Only when the summary would change: a needless row version costs seven index entries. */
export const UNLESS_UNCHANGED = `
    AND (p.protocol, p.intake_status, p.flagged_pillars, p.last_activity_at)
        IS DISTINCT FROM
        (latest.protocol, coalesce(latest.status, 'none'), coalesce(flags.pillars, '{}'),
         greatest(p.created_at, latest.created_at, latest.progressed_at))`;

function triggerFunction(assessmentFilter: string): string {
  return `
    CREATE OR REPLACE FUNCTION patients_summary_from_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'assessments' THEN
          PERFORM refresh_patient_summary(NEW.clinic_id, i.patient_id)
            FROM intakes i WHERE i.clinic_id = NEW.clinic_id AND i.id = NEW.intake_id${assessmentFilter};
        ELSE
          PERFORM refresh_patient_summary(NEW.clinic_id, NEW.patient_id);
        END IF;
        RETURN NULL;
      END
    $$`;
}

/**
 * The patient-summary triggers were measured as most of the database's work
 * per submission: each refresh plans its query anew, and a submission ran two
 * refreshes and wrote the patient row twice. Same results, less work:
 *
 * - A refresh that would change nothing writes nothing.
 * - An assessment of an intake still in progress refreshes nothing: the flags
 *   only count submitted intakes. Submission stores the assessment first and
 *   then the status, so one refresh and one write remain.
 *
 * The refresh stays a SQL function, planned at every call: a PL/pgSQL version
 * keeps its plan for the connection, and plans made while the tables were
 * small were measured scanning a whole clinic once they had grown.
 */
export class PatientSummaryPlans1763800000400 implements MigrationInterface {
  name = 'PatientSummaryPlans1763800000400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION refresh_patient_summary(p_clinic uuid, p_patient uuid) RETURNS void
      LANGUAGE sql AS $$ ${SUMMARY_SQL} ${UNLESS_UNCHANGED} $$
    `);
    await queryRunner.query(triggerFunction(` AND i.status <> 'in_progress'`));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(triggerFunction(''));
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION refresh_patient_summary(p_clinic uuid, p_patient uuid) RETURNS void
      LANGUAGE sql AS $$ ${SUMMARY_SQL} $$
    `);
  }
}
