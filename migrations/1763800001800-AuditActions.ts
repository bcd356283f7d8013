import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The actions added since 1400-AuditEventsPatient join the audit log's
 * vocabulary (src/audit/audit-actions.ts) at once: two-step sign-in and
 * password reset links, the clinic's switches, patient edits and archiving,
 * consent to the privacy notice, the take-home notes, and emailing links. The constraint is
 * replaced with the full list as it stands now (a migration keeps its own
 * copy: it must not change when the code does).
 */
const ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_throttled',
  'auth.sign_out',
  'auth.sign_in_password',
  'auth.mfa_verify',
  'auth.mfa_enrol',
  'auth.mfa_reset',
  'auth.recovery_codes_replaced',
  'auth.password_confirm',
  'auth.password_reset_issued',
  'auth.password_reset',
  'user.list',
  'user.invite',
  'user.invite_reissue',
  'user.join',
  'user.deactivate',
  'user.reactivate',
  'clinic.settings',
  'clinic.mfa_required',
  'clinic.consent_text',
  'clinic.name_in_emails',
  'audit.view',
  'audit.export',
  'patient.list',
  'patient.create',
  'patient.view',
  'patient.access_history',
  'patient.update',
  'patient.archive',
  'patient.unarchive',
  'invitation.list',
  'invitation.create',
  'invitation.revoke',
  'invitation.reissue',
  'invitation.email',
  'intake.link_open',
  'intake.link_open_throttled',
  'intake.consent',
  'intake.save',
  'intake.submit',
  'intake.view',
  'intake.review',
  'point.review',
  'assessment.view',
  'assessment.recompute',
  'handout.download',
  'takehome.view',
  'takehome.download',
];
/** What 1400 knew; going down restores it. */
const ADDED = new Set([
  'auth.sign_in_password',
  'auth.mfa_verify',
  'auth.mfa_enrol',
  'auth.mfa_reset',
  'auth.recovery_codes_replaced',
  'auth.password_confirm',
  'auth.password_reset_issued',
  'auth.password_reset',
  'clinic.mfa_required',
  'clinic.consent_text',
  'patient.update',
  'patient.archive',
  'patient.unarchive',
  'intake.consent',
  'takehome.view',
  'takehome.download',
  'invitation.email',
  'clinic.name_in_emails',
]);

const constraint = (actions: readonly string[]) =>
  `ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_action_known" CHECK (action IN (${actions
    .map((action) => `'${action}'`)
    .join(', ')}))`;

export class AuditActions1763800001800 implements MigrationInterface {
  name = 'AuditActions1763800001800';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_action_known"`,
    );
    await queryRunner.query(constraint(ACTIONS));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_action_known"`,
    );
    await queryRunner.query(constraint(ACTIONS.filter((action) => !ADDED.has(action))));
  }
}
