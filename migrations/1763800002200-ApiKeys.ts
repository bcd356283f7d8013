import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys: a clinic's other systems call the JSON API and FHIR with a
 * bearer key an admin made. Only the key's SHA-256 is kept (a key is 256
 * random bits: nothing to slow down), with its name, scopes, who made it,
 * when it was last used and its rate window. The audit log learns the key
 * as an actor (`api_key`), the actions of keys, and the listing of a
 * patient's intakes through the API (the full list, as in 1800).
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
const ADDED = new Set(['apikey.create', 'apikey.revoke', 'api.call', 'intake.list']);

const actionsConstraint = (actions: readonly string[]) =>
  `ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_action_known" CHECK (action IN (${actions
    .map((action) => `'${action}'`)
    .join(', ')}))`;

const actorTypes = (types: readonly string[]) =>
  `ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_type_known" CHECK (actor_type IN (${types
    .map((type) => `'${type}'`)
    .join(', ')}))`;

export class ApiKeys1763800002200 implements MigrationInterface {
  name = 'ApiKeys1763800002200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "api_keys" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "clinic_id" uuid NOT NULL,
      "name" character varying(100) NOT NULL,
      "token_hash" bytea NOT NULL,
      "token_hint" character varying(16) NOT NULL,
      "scopes" character varying(32) array NOT NULL,
      "created_by" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "last_used_at" TIMESTAMP WITH TIME ZONE,
      "window_started_at" TIMESTAMP WITH TIME ZONE,
      "window_count" integer NOT NULL DEFAULT 0,
      CONSTRAINT "api_keys_name_not_blank" CHECK (length(btrim(name)) > 0),
      CONSTRAINT "api_keys_token_hash_sha256" CHECK (octet_length(token_hash) = 32),
      CONSTRAINT "api_keys_scopes_known" CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['patients:read', 'patients:write', 'invitations:write', 'intakes:read', 'reviews:write', 'handouts:read']::varchar[]),
      CONSTRAINT "api_keys_token_hash_key" UNIQUE ("token_hash"),
      CONSTRAINT "api_keys_clinic_id_id_key" UNIQUE ("clinic_id", "id"),
      CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "api_keys_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT,
      CONSTRAINT "api_keys_created_by_fkey" FOREIGN KEY ("clinic_id", "created_by") REFERENCES "users"("clinic_id", "id") ON DELETE RESTRICT
    )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "api_keys_active_name_key" ON "api_keys" ("clinic_id", "name") WHERE revoked_at IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_actor_type_known"`,
    );
    await queryRunner.query(actorTypes(['user', 'patient', 'system', 'anonymous', 'api_key']));
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
    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_actor_type_known"`,
    );
    await queryRunner.query(actorTypes(['user', 'patient', 'system', 'anonymous']));
    await queryRunner.query(`DROP TABLE "api_keys"`);
  }
}
