import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emailing an invitation link (outcome only, never the address) and the
 * clinic's choice whether emails name it join the audit log's vocabulary
 * (src/audit/audit-actions.ts): the constraint is replaced with the full list
 * as it stands now.
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
  'clinic.name_in_emails',
  'invitation.email',
];
const NEW = new Set(['clinic.name_in_emails', 'invitation.email']);

const constraint = (actions: readonly string[]) =>
  `ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_action_known" CHECK (action IN (${actions
    .map((action) => `'${action}'`)
    .join(', ')}))`;

export class EmailActions1763800002010 implements MigrationInterface {
  name = 'EmailActions1763800002010';

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
    await queryRunner.query(constraint(ACTIONS.filter((action) => !NEW.has(action))));
  }
}
