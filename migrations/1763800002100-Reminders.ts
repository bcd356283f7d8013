import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminder emails, and retries of every email to a patient.
 *
 * `deliveries` becomes an outbox: a row is written before its email goes
 * (`pending`, with when it is next due), then sent, retried with backoff, given
 * up on (`failed`) or stopped (`cancelled`, and why: the intake was sent, the
 * link revoked or re-issued, the patient archived or opted out...). While an
 * instance sends it, it is `sending`, leased until `next_attempt_at`. Reminders
 * are rows of kind `reminder`, numbered per issue of a link, so scheduling
 * twice makes them once. Instances pick due rows with FOR UPDATE SKIP LOCKED.
 *
 * `email_links` holds the SHA-256 of each email's own tokens: one that opens
 * the invitation (its own token is never kept, so a reminder or a retry
 * could not carry it) and one that can only stop its reminders (the
 * List-Unsubscribe header's, which mail systems may log).
 *
 * Clinics get a reminder schedule (days after the email, at most three), and
 * invitations the moment the patient stopped reminders. The audit log learns
 * the actions of all this (the full list, as in 1800).
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
  'clinic.reminders',
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
  'invitation.reminder',
  'invitation.reminders_stop',
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
const ADDED = new Set(['clinic.reminders', 'invitation.reminder', 'invitation.reminders_stop']);

const actionsConstraint = (actions: readonly string[]) =>
  `ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_action_known" CHECK (action IN (${actions
    .map((action) => `'${action}'`)
    .join(', ')}))`;

export class Reminders1763800002100 implements MigrationInterface {
  name = 'Reminders1763800002100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "clinics" ADD "reminder_days" smallint array NOT NULL DEFAULT '{3,7}'`,
    );
    await queryRunner.query(
      `ALTER TABLE "clinics" ADD CONSTRAINT "clinics_reminder_days_valid" CHECK (cardinality(reminder_days) <= 3 AND COALESCE(1 <= ALL (reminder_days) AND 365 >= ALL (reminder_days), false))`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD "reminders_stopped_at" TIMESTAMP WITH TIME ZONE`,
    );

    for (const name of [
      'deliveries_kind_known',
      'deliveries_status_known',
      'deliveries_attempts_positive',
    ]) {
      await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "${name}"`);
    }
    await queryRunner.query(`ALTER TABLE "deliveries"
      ADD "sequence" smallint NOT NULL DEFAULT 0,
      ADD "due_at" TIMESTAMP WITH TIME ZONE,
      ADD "next_attempt_at" TIMESTAMP WITH TIME ZONE,
      ADD "sent_at" TIMESTAMP WITH TIME ZONE,
      ADD "stopped_because" character varying(32)`);
    await queryRunner.query(
      `UPDATE "deliveries" SET due_at = created_at, sent_at = CASE WHEN status = 'sent' THEN updated_at END`,
    );
    await queryRunner.query(`ALTER TABLE "deliveries"
      ALTER COLUMN "due_at" SET NOT NULL,
      ALTER COLUMN "attempts" SET DEFAULT 0,
      ADD CONSTRAINT "deliveries_kind_known" CHECK (kind IN ('invitation', 'reminder')),
      ADD CONSTRAINT "deliveries_status_known" CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
      ADD CONSTRAINT "deliveries_attempts_counted" CHECK (attempts >= 0 AND (status NOT IN ('sending', 'sent', 'failed') OR attempts >= 1)),
      ADD CONSTRAINT "deliveries_pending_has_next_attempt" CHECK ((status IN ('pending', 'sending')) = (next_attempt_at IS NOT NULL)),
      ADD CONSTRAINT "deliveries_sent_when" CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
      ADD CONSTRAINT "deliveries_cancelled_says_why" CHECK ((status = 'cancelled') = (stopped_because IS NOT NULL)),
      ADD CONSTRAINT "deliveries_stopped_because_known" CHECK (stopped_because IS NULL OR stopped_because IN ('submitted', 'revoked', 'reissued', 'expired', 'archived', 'opted_out', 'no_address', 'superseded')),
      ADD CONSTRAINT "deliveries_sequence_fits_kind" CHECK ((kind = 'invitation') = (sequence = 0) AND sequence BETWEEN 0 AND 3)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "deliveries_reminder_key" ON "deliveries" ("invitation_id", "link_expires_at", "sequence") WHERE kind = 'reminder'`,
    );
    await queryRunner.query(
      `CREATE INDEX "deliveries_due_idx" ON "deliveries" ("next_attempt_at") WHERE status IN ('pending', 'sending')`,
    );

    await queryRunner.query(`CREATE TABLE "email_links" (
      "token_hash" bytea NOT NULL,
      "clinic_id" uuid NOT NULL,
      "invitation_id" uuid NOT NULL,
      "delivery_id" uuid NOT NULL,
      "purpose" character varying(8) NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "email_links_token_hash_sha256" CHECK (octet_length(token_hash) = 32),
      CONSTRAINT "email_links_purpose_known" CHECK (purpose IN ('open', 'stop')),
      CONSTRAINT "email_links_pkey" PRIMARY KEY ("token_hash"),
      CONSTRAINT "email_links_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT,
      CONSTRAINT "email_links_invitation_fkey" FOREIGN KEY ("clinic_id", "invitation_id") REFERENCES "invitations"("clinic_id", "id") ON DELETE RESTRICT,
      CONSTRAINT "email_links_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE RESTRICT
    )`);
    await queryRunner.query(
      `CREATE INDEX "email_links_invitation_idx" ON "email_links" ("invitation_id")`,
    );

    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_action_known"`,
    );
    await queryRunner.query(actionsConstraint(ACTIONS));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_action_known"`,
    );
    await queryRunner.query(actionsConstraint(ACTIONS.filter((action) => !ADDED.has(action))));
    await queryRunner.query(`DROP TABLE "email_links"`);
    // What 2000 can hold: emails that went or failed, never a reminder.
    await queryRunner.query(
      `DELETE FROM "deliveries" WHERE kind = 'reminder' OR status IN ('pending', 'sending', 'cancelled')`,
    );
    await queryRunner.query(`DROP INDEX "deliveries_due_idx"`);
    await queryRunner.query(`DROP INDEX "deliveries_reminder_key"`);
    for (const name of [
      'deliveries_kind_known',
      'deliveries_status_known',
      'deliveries_attempts_counted',
      'deliveries_pending_has_next_attempt',
      'deliveries_sent_when',
      'deliveries_cancelled_says_why',
      'deliveries_stopped_because_known',
      'deliveries_sequence_fits_kind',
    ]) {
      await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "${name}"`);
    }
    await queryRunner.query(`ALTER TABLE "deliveries"
      DROP COLUMN "sequence", DROP COLUMN "due_at", DROP COLUMN "next_attempt_at",
      DROP COLUMN "sent_at", DROP COLUMN "stopped_because",
      ALTER COLUMN "attempts" SET DEFAULT 1,
      ADD CONSTRAINT "deliveries_kind_known" CHECK (kind IN ('invitation')),
      ADD CONSTRAINT "deliveries_status_known" CHECK (status IN ('sent', 'failed')),
      ADD CONSTRAINT "deliveries_attempts_positive" CHECK (attempts >= 1)`);
    await queryRunner.query(`ALTER TABLE "invitations" DROP COLUMN "reminders_stopped_at"`);
    await queryRunner.query(`ALTER TABLE "clinics" DROP CONSTRAINT "clinics_reminder_days_valid"`);
    await queryRunner.query(`ALTER TABLE "clinics" DROP COLUMN "reminder_days"`);
  }
}
