import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: the https endpoints a clinic's admin registers, and the outbox
 * of deliveries to them.
 *
 * `webhook_endpoints` holds the address, the events it is sent, its signing
 * secret sealed (AES-256-GCM under a key derived from SESSION_SECRET: it must
 * be read back to sign, so it cannot be hashed), whether it is off, since
 * when and why (an admin; a day of failed deliveries; 410 Gone), and since
 * when its deliveries have been failing.
 *
 * `webhook_deliveries` is one event for one endpoint, written in the same
 * transaction as the change it reports, then tried by whichever instance
 * takes it first (FOR UPDATE SKIP LOCKED, a lease while sending), retried
 * with backoff: the event's id (the `webhook-id` receivers de-duplicate on),
 * type, identifiers only (`data`), when it happened, the status, tries, the
 * next try, the class and HTTP status of the latest failure, and times.
 * Never the response's body. Both tables refer to their clinic's rows by
 * (clinic_id, id), so a delivery can never point at another clinic's
 * endpoint; deleting an endpoint deletes its deliveries.
 *
 * The audit log learns the webhook actions (the full list, as in 1800).
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
  'webhook.create',
  'webhook.update',
  'webhook.enable',
  'webhook.disable',
  'webhook.delete',
  'webhook.test',
  'audit.view',
  'audit.export',
  'apikey.create',
  'apikey.revoke',
  'api.call',
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
  'intake.list',
  'intake.view',
  'intake.review',
  'point.review',
  'assessment.view',
  'assessment.recompute',
  'handout.download',
  'takehome.view',
  'takehome.download',
];
const ADDED = new Set([
  'webhook.create',
  'webhook.update',
  'webhook.enable',
  'webhook.disable',
  'webhook.delete',
  'webhook.test',
]);

const actionsConstraint = (actions: readonly string[]) =>
  `ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_action_known" CHECK (action IN (${actions
    .map((action) => `'${action}'`)
    .join(', ')}))`;

export class Webhooks1763800002300 implements MigrationInterface {
  name = 'Webhooks1763800002300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "webhook_endpoints" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "clinic_id" uuid NOT NULL,
      "url" character varying(2048) NOT NULL,
      "events" text array NOT NULL,
      "secret_sealed" bytea NOT NULL,
      "created_by" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "disabled_at" TIMESTAMP WITH TIME ZONE,
      "disabled_reason" character varying(16),
      "failing_since" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "webhook_endpoints_url_http" CHECK (url ~ '^https?://'),
      CONSTRAINT "webhook_endpoints_events_known" CHECK (cardinality(events) >= 1 AND events <@ ARRAY['intake.submitted', 'review.completed', 'handout.ready']::text[]),
      CONSTRAINT "webhook_endpoints_secret_sealed" CHECK (octet_length(secret_sealed) > 28),
      CONSTRAINT "webhook_endpoints_disabled_says_why" CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL)),
      CONSTRAINT "webhook_endpoints_disabled_reason_known" CHECK (disabled_reason IS NULL OR disabled_reason IN ('admin', 'failing', 'gone')),
      CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "webhook_endpoints_clinic_id_id_key" UNIQUE ("clinic_id", "id"),
      CONSTRAINT "webhook_endpoints_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT,
      CONSTRAINT "webhook_endpoints_created_by_fkey" FOREIGN KEY ("clinic_id", "created_by") REFERENCES "users"("clinic_id", "id") ON DELETE RESTRICT
    )`);
    await queryRunner.query(
      `CREATE INDEX "webhook_endpoints_clinic_idx" ON "webhook_endpoints" ("clinic_id", "created_at")`,
    );

    await queryRunner.query(`CREATE TABLE "webhook_deliveries" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "clinic_id" uuid NOT NULL,
      "endpoint_id" uuid NOT NULL,
      "event_id" uuid NOT NULL,
      "event_type" character varying(32) NOT NULL,
      "data" jsonb NOT NULL,
      "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "status" character varying(16) NOT NULL,
      "attempts" integer NOT NULL DEFAULT '0',
      "next_attempt_at" TIMESTAMP WITH TIME ZONE,
      "last_attempt_at" TIMESTAMP WITH TIME ZONE,
      "last_problem" character varying(16),
      "last_http_status" smallint,
      "sent_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "webhook_deliveries_type_known" CHECK (event_type IN ('intake.submitted', 'review.completed', 'handout.ready', 'webhook.test')),
      CONSTRAINT "webhook_deliveries_data_object" CHECK (jsonb_typeof(data) = 'object'),
      CONSTRAINT "webhook_deliveries_status_known" CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
      CONSTRAINT "webhook_deliveries_attempts_counted" CHECK (attempts >= 0 AND (status NOT IN ('sending', 'sent', 'failed') OR attempts >= 1)),
      CONSTRAINT "webhook_deliveries_pending_has_next_attempt" CHECK ((status IN ('pending', 'sending')) = (next_attempt_at IS NOT NULL)),
      CONSTRAINT "webhook_deliveries_sent_when" CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
      CONSTRAINT "webhook_deliveries_problem_known" CHECK (last_problem IS NULL OR last_problem IN ('status', 'timeout', 'dns', 'connection', 'tls', 'address', 'secret', 'error')),
      CONSTRAINT "webhook_deliveries_failed_says_why" CHECK (status <> 'failed' OR last_problem IS NOT NULL),
      CONSTRAINT "webhook_deliveries_http_status_valid" CHECK ((last_http_status IS NULL OR last_http_status BETWEEN 100 AND 599) AND (last_problem IS DISTINCT FROM 'status' OR last_http_status IS NOT NULL)),
      CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "webhook_deliveries_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT,
      CONSTRAINT "webhook_deliveries_endpoint_fkey" FOREIGN KEY ("clinic_id", "endpoint_id") REFERENCES "webhook_endpoints"("clinic_id", "id") ON DELETE CASCADE
    )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "webhook_deliveries_event_key" ON "webhook_deliveries" ("endpoint_id", "event_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" ("endpoint_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("next_attempt_at") WHERE status IN ('pending', 'sending')`,
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
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
  }
}
