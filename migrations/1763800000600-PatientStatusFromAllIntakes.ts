import { MigrationInterface, QueryRunner } from 'typeorm';
import { SUMMARY_SQL } from './1763800000100-PatientSummary';
import { UNLESS_UNCHANGED } from './1763800000400-PatientSummaryPlans';

/**
 * The patient's status on the worklist, from all of their invitations and
 * intakes rather than the newest invitation alone, so that an intake waiting
 * for review never drops out of the list when a newer link exists. The first
 * that holds:
 *
 * 1. submitted: some intake is submitted and not yet reviewed ("to review"),
 *    whatever newer links exist, revoked ones included;
 * 2. in progress: some intake is being filled through a link not revoked;
 * 3. invited: a link not revoked and not yet opened, made after the latest
 *    review or with no review yet (a link made before a review does not undo
 *    it: it ranks last, below the review);
 * 4. reviewed: some intake was reviewed;
 * 5. none.
 *
 * Within a status, the newest invitation gives the protocol. Latest activity
 * is the newest link, start, submission or review among the same rows (a
 * revoked link counts only with an intake sent through it). Expiry is a
 * matter of time, not of a change a trigger sees: an expired link counts
 * until it is revoked; a new link of its protocol revokes it, and the patient
 * page offers to.
 *
 * The newest submitted intake's newest assessment gives, besides the pillars
 * with warnings, the pillars with too few answers to assess and no point
 * (`thin_pillars`, from the assessment), so the list never passes them as fine.
 */
const STATUS_SQL = `
  UPDATE patients p SET
    protocol = pending.protocol,
    intake_status = coalesce(pending.status, 'none'),
    flagged_pillars = coalesce(flags.pillars, '{}'),
    thin_pillars = coalesce(flags.thin, '{}'),
    last_activity_at = greatest(p.created_at, pending.activity_at)
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (
    SELECT candidate.protocol, candidate.status, candidate.activity_at
    FROM (
      SELECT coalesce(i.protocol, inv.protocol) AS protocol,
             coalesce(i.status, 'invited') AS status,
             inv.created_at, inv.id,
             CASE coalesce(i.status, 'invited')
               WHEN 'submitted' THEN 1
               WHEN 'in_progress' THEN 2
               WHEN 'invited' THEN
                 CASE WHEN inv.created_at > coalesce(max(i.reviewed_at) OVER (), '-infinity')
                      THEN 3 ELSE 5 END
               ELSE 4
             END AS rank,
             max(greatest(inv.created_at, i.created_at, i.submitted_at, i.reviewed_at))
               OVER () AS activity_at
      FROM invitations inv
      LEFT JOIN intakes i ON i.clinic_id = inv.clinic_id AND i.invitation_id = inv.id
      WHERE inv.clinic_id = p_clinic AND inv.patient_id = p_patient
        AND (inv.revoked_at IS NULL OR i.status IN ('submitted', 'reviewed'))
    ) candidate
    ORDER BY candidate.rank, candidate.created_at DESC, candidate.id DESC
    LIMIT 1
  ) pending ON true
  LEFT JOIN LATERAL (
    SELECT a.flagged_pillars AS pillars,
           ARRAY(SELECT jsonb_array_elements_text(a.results -> 'thinPillars')) AS thin
    FROM intakes i
    JOIN assessments a ON a.clinic_id = i.clinic_id AND a.intake_id = i.id
    WHERE i.clinic_id = p_clinic AND i.patient_id = p_patient AND i.status <> 'in_progress'
    ORDER BY i.submitted_at DESC, a.created_at DESC
    LIMIT 1
  ) flags ON true
  WHERE p.clinic_id = p_clinic AND p.id = p_patient
    AND (p.protocol, p.intake_status, p.flagged_pillars, p.thin_pillars, p.last_activity_at)
        IS DISTINCT FROM
        (pending.protocol, coalesce(pending.status, 'none'), coalesce(flags.pillars, '{}'),
         coalesce(flags.thin, '{}'), greatest(p.created_at, pending.activity_at))`;

export class PatientStatusFromAllIntakes1763800000600 implements MigrationInterface {
  name = 'PatientStatusFromAllIntakes1763800000600';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "patients"
        ADD "thin_pillars" text array NOT NULL DEFAULT '{}',
        ADD CONSTRAINT "patients_thin_pillars_known" CHECK (
          thin_pillars <@ ARRAY ['diet', 'exercise', 'sleep', 'stress']::text []
        )
    `);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION refresh_patient_summary(p_clinic uuid, p_patient uuid) RETURNS void
      LANGUAGE plpgsql AS $$ BEGIN ${STATUS_SQL}; END $$
    `);
    await queryRunner.query(`SELECT refresh_patient_summary(clinic_id, id) FROM patients`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION refresh_patient_summary(p_clinic uuid, p_patient uuid) RETURNS void
      LANGUAGE plpgsql AS $$ BEGIN ${SUMMARY_SQL} ${UNLESS_UNCHANGED}; END $$
    `);
    await queryRunner.query(`
      ALTER TABLE "patients"
        DROP CONSTRAINT "patients_thin_pillars_known",
        DROP COLUMN "thin_pillars"
    `);
    await queryRunner.query(`SELECT refresh_patient_summary(clinic_id, id) FROM patients`);
  }
}
