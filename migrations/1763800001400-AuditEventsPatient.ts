import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An audit trail that answers "who looked at this patient?".
 *
 * - `patient_id`: the patient an event concerns, whatever its target, with an
 *   index for the patient's history newest first. No foreign key: a refused
 *   attempt by another clinic's staff names a patient outside the event's
 *   clinic. Existing rows get it from their target (a patient, or the
 *   patient of an intake, assessment or invitation), looked up in every
 *   clinic, so old refused views of another clinic's patient join that
 *   patient's history too. The append-only trigger is off only for this one
 *   UPDATE, inside the migration's transaction: it adds a derived fact and
 *   changes none.
 * - `audit_events_action_known`: the database accepts only the actions of
 *   src/audit/audit-actions.ts. The list is copied here as it stands today
 *   (a migration must not change when the code does); a later action comes
 *   with a migration that replaces the constraint. Rows with an action
 *   outside the list stop the migration with their names, rather than being
 *   silently dropped or renamed.
 */
const ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_throttled',
  'auth.sign_out',
  'user.list',
  'user.invite',
  'user.invite_reissue',
  'user.join',
  'user.deactivate',
  'user.reactivate',
  'clinic.settings',
  'audit.view',
  'audit.export',
  'patient.list',
  'patient.create',
  'patient.view',
  'patient.access_history',
  'invitation.list',
  'invitation.create',
  'invitation.revoke',
  'invitation.reissue',
  'intake.link_open',
  'intake.link_open_throttled',
  'intake.save',
  'intake.submit',
  'intake.view',
  'intake.review',
  'point.review',
  'assessment.view',
  'assessment.recompute',
  'handout.download',
];

export class AuditEventsPatient1763800001400 implements MigrationInterface {
  name = 'AuditEventsPatient1763800001400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const unknown = (await queryRunner.query(
      `SELECT DISTINCT action FROM audit_events WHERE NOT (action = ANY ($1::text[])) ORDER BY action`,
      [ACTIONS],
    )) as { action: string }[];
    if (unknown.length > 0) {
      throw new Error(
        `audit_events holds actions that are not in the list: ${unknown
          .map((row) => row.action)
          .join(', ')}. Add them to src/audit/audit-actions.ts and to this migration.`,
      );
    }
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "patient_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "audit_events" DISABLE TRIGGER "audit_events_append_only"`,
    );
    await queryRunner.query(`
      UPDATE audit_events e SET patient_id = CASE e.target_type
          WHEN 'patient' THEN (SELECT p.id FROM patients p WHERE p.id = e.target_id)
          WHEN 'intake' THEN (SELECT i.patient_id FROM intakes i WHERE i.id = e.target_id)
          WHEN 'invitation' THEN (SELECT v.patient_id FROM invitations v WHERE v.id = e.target_id)
          WHEN 'assessment' THEN (
            SELECT i.patient_id FROM assessments a
            JOIN intakes i ON i.clinic_id = a.clinic_id AND i.id = a.intake_id
            WHERE a.id = e.target_id)
        END
      WHERE e.target_type IN ('patient', 'intake', 'invitation', 'assessment')
        AND e.target_id IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_events" ENABLE TRIGGER "audit_events_append_only"`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_patient_time_idx" ON "audit_events" ("patient_id", "occurred_at", "id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_action_known" CHECK (action IN (${ACTIONS.map(
        (action) => `'${action}'`,
      ).join(', ')}))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_action_known"`,
    );
    await queryRunner.query(`DROP INDEX "public"."audit_events_patient_time_idx"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "patient_id"`);
  }
}
