import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The actions of two-step sign-in, password reset links and the clinic's
 * "require two-step sign-in" switch join the audit log's vocabulary
 * (src/audit/audit-actions.ts): the constraint is replaced with the full
 * list as it stands now.
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
const NEW = new Set([
  'auth.sign_in_password',
  'auth.mfa_verify',
  'auth.mfa_enrol',
  'auth.mfa_reset',
  'auth.recovery_codes_replaced',
  'auth.password_confirm',
  'auth.password_reset_issued',
  'auth.password_reset',
  'clinic.mfa_required',
]);

const constraint = (actions: readonly string[]) =>
  `ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_action_known" CHECK (action IN (${actions
    .map((action) => `'${action}'`)
    .join(', ')}))`;

export class SecondFactorActions1763800001520 implements MigrationInterface {
  name = 'SecondFactorActions1763800001520';

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
