import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole schema as known at the foundation. Generated from the entities,
 * then extended by hand with what TypeORM cannot express: the trigram
 * extension, expression and partial indexes (declared in the entities with
 * `synchronize: false`), and the append-only guard on audit events.
 */

export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`
            CREATE TABLE "clinics" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(200) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "clinics_name_not_blank" CHECK (length(btrim(name)) > 0),
                CONSTRAINT "clinics_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "clinic_id" uuid NOT NULL,
                "email" character varying(254) NOT NULL,
                "display_name" character varying(120) NOT NULL,
                "role" character varying(16) NOT NULL,
                "password_hash" text NOT NULL,
                "deactivated_at" TIMESTAMP WITH TIME ZONE,
                "last_sign_in_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "users_clinic_id_id_key" UNIQUE ("clinic_id", "id"),
                CONSTRAINT "users_email_key" UNIQUE ("email"),
                CONSTRAINT "users_display_name_not_blank" CHECK (length(btrim(display_name)) > 0),
                CONSTRAINT "users_role_known" CHECK (role IN ('clinician', 'admin')),
                CONSTRAINT "users_email_normalised" CHECK (
                    email = lower(btrim(email))
                    AND position('@' in email) > 1
                ),
                CONSTRAINT "users_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "patients" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "clinic_id" uuid NOT NULL,
                "given_name" character varying(100) NOT NULL,
                "family_name" character varying(100) NOT NULL,
                "reference" character varying(64),
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "patients_clinic_id_reference_key" UNIQUE ("clinic_id", "reference"),
                CONSTRAINT "patients_clinic_id_id_key" UNIQUE ("clinic_id", "id"),
                CONSTRAINT "patients_reference_not_blank" CHECK (
                    reference IS NULL
                    OR length(btrim(reference)) > 0
                ),
                CONSTRAINT "patients_names_not_blank" CHECK (
                    length(btrim(given_name)) > 0
                    AND length(btrim(family_name)) > 0
                ),
                CONSTRAINT "patients_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "invitations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "clinic_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "protocol" character varying(32) NOT NULL,
                "token_hash" bytea NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "first_used_at" TIMESTAMP WITH TIME ZONE,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "invitations_clinic_id_id_key" UNIQUE ("clinic_id", "id"),
                CONSTRAINT "invitations_token_hash_key" UNIQUE ("token_hash"),
                CONSTRAINT "invitations_expiry_after_creation" CHECK (expires_at > created_at),
                CONSTRAINT "invitations_token_hash_sha256" CHECK (octet_length(token_hash) = 32),
                CONSTRAINT "invitations_protocol_known" CHECK (
                    protocol IN (
                        'trt',
                        'female_hormone_therapy',
                        'gh_peptide_therapy',
                        'post_trt_recovery',
                        'other'
                    )
                ),
                CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "invitations_patient_idx" ON "invitations" ("patient_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "intakes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "clinic_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "invitation_id" uuid NOT NULL,
                "protocol" character varying(32) NOT NULL,
                "questionnaire_version" character varying(32) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'in_progress',
                "answers" jsonb NOT NULL DEFAULT '{}',
                "scores" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "reviewed_at" TIMESTAMP WITH TIME ZONE,
                "reviewed_by" uuid,
                CONSTRAINT "intakes_clinic_id_id_key" UNIQUE ("clinic_id", "id"),
                CONSTRAINT "intakes_invitation_id_key" UNIQUE ("invitation_id"),
                CONSTRAINT "intakes_reviewed_consistent" CHECK (
                    (status = 'reviewed') = (reviewed_at IS NOT NULL)
                    AND (reviewed_at IS NULL) = (reviewed_by IS NULL)
                ),
                CONSTRAINT "intakes_scored_when_submitted" CHECK ((status = 'in_progress') = (scores IS NULL)),
                CONSTRAINT "intakes_submitted_when_not_in_progress" CHECK (
                    (status = 'in_progress') = (submitted_at IS NULL)
                ),
                CONSTRAINT "intakes_answers_object" CHECK (jsonb_typeof(answers) = 'object'),
                CONSTRAINT "intakes_protocol_known" CHECK (
                    protocol IN (
                        'trt',
                        'female_hormone_therapy',
                        'gh_peptide_therapy',
                        'post_trt_recovery',
                        'other'
                    )
                ),
                CONSTRAINT "intakes_status_known" CHECK (
                    status IN ('in_progress', 'submitted', 'reviewed')
                ),
                CONSTRAINT "intakes_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "intakes_clinic_status_idx" ON "intakes" ("clinic_id", "status", "updated_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "intakes_patient_idx" ON "intakes" ("patient_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "assessments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "clinic_id" uuid NOT NULL,
                "intake_id" uuid NOT NULL,
                "ruleset_version" character varying(32) NOT NULL,
                "results" jsonb NOT NULL,
                "flagged_pillars" text array NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "assessments_clinic_id_id_key" UNIQUE ("clinic_id", "id"),
                CONSTRAINT "assessments_intake_ruleset_key" UNIQUE ("intake_id", "ruleset_version"),
                CONSTRAINT "assessments_flagged_pillars_known" CHECK (
                    flagged_pillars <@ ARRAY ['diet', 'exercise', 'sleep', 'stress']::text []
                ),
                CONSTRAINT "assessments_results_object" CHECK (jsonb_typeof(results) = 'object'),
                CONSTRAINT "assessments_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "assessments_intake_idx" ON "assessments" ("intake_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "point_reviews" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "clinic_id" uuid NOT NULL,
                "assessment_id" uuid NOT NULL,
                "point_id" character varying(80) NOT NULL,
                "mark" character varying(16),
                "reason" character varying(500),
                "note" character varying(2000),
                "updated_by" uuid NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "point_reviews_assessment_point_key" UNIQUE ("assessment_id", "point_id"),
                CONSTRAINT "point_reviews_something_recorded" CHECK (
                    mark IS NOT NULL
                    OR note IS NOT NULL
                ),
                CONSTRAINT "point_reviews_reason_when_not_relevant" CHECK (
                    mark IS DISTINCT
                    FROM 'not_relevant'
                        OR length(btrim(reason)) > 0
                ),
                CONSTRAINT "point_reviews_mark_known" CHECK (
                    mark IS NULL
                    OR mark IN ('discussed', 'not_relevant')
                ),
                CONSTRAINT "point_reviews_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_events" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "clinic_id" uuid,
                "actor_type" character varying(16) NOT NULL,
                "actor_id" uuid,
                "action" character varying(64) NOT NULL,
                "target_type" character varying(32),
                "target_id" uuid,
                "outcome" character varying(16) NOT NULL,
                "request_id" character varying(64),
                "ip" inet,
                "detail" jsonb NOT NULL DEFAULT '{}',
                CONSTRAINT "audit_events_detail_object" CHECK (jsonb_typeof(detail) = 'object'),
                CONSTRAINT "audit_events_outcome_known" CHECK (outcome IN ('success', 'failure', 'denied')),
                CONSTRAINT "audit_events_actor_type_known" CHECK (
                    actor_type IN ('user', 'patient', 'system', 'anonymous')
                ),
                CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_target_idx" ON "audit_events" ("target_type", "target_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_clinic_time_idx" ON "audit_events" ("clinic_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "token_hash" bytea NOT NULL,
                "kind" character varying(16) NOT NULL,
                "clinic_id" uuid NOT NULL,
                "user_id" uuid,
                "invitation_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "sessions_token_hash_key" UNIQUE ("token_hash"),
                CONSTRAINT "sessions_expiry_after_creation" CHECK (expires_at > created_at),
                CONSTRAINT "sessions_token_hash_sha256" CHECK (octet_length(token_hash) = 32),
                CONSTRAINT "sessions_subject_matches_kind" CHECK (
                    (kind = 'clinician') = (user_id IS NOT NULL)
                    AND (kind = 'patient') = (invitation_id IS NOT NULL)
                ),
                CONSTRAINT "sessions_kind_known" CHECK (kind IN ('clinician', 'patient')),
                CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "sessions_expires_idx" ON "sessions" ("expires_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "sessions_user_idx" ON "sessions" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "handouts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "clinic_id" uuid NOT NULL,
                "assessment_id" uuid NOT NULL,
                "kind" character varying(16) NOT NULL,
                "template_version" character varying(32) NOT NULL,
                "paper" character varying(8) NOT NULL,
                "content_hash" character(64) NOT NULL,
                "byte_size" integer NOT NULL,
                "content" bytea NOT NULL,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "handouts_assessment_kind_template_paper_key" UNIQUE (
                    "assessment_id",
                    "kind",
                    "template_version",
                    "paper"
                ),
                CONSTRAINT "handouts_byte_size_matches" CHECK (
                    byte_size > 0
                    AND byte_size = octet_length(content)
                ),
                CONSTRAINT "handouts_content_hash_sha256" CHECK (content_hash ~ '^[0-9a-f]{64}$'),
                CONSTRAINT "handouts_paper_known" CHECK (paper IN ('a4', 'letter')),
                CONSTRAINT "handouts_kind_known" CHECK (kind IN ('clinician', 'patient')),
                CONSTRAINT "handouts_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "users_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "patients"
            ADD CONSTRAINT "patients_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "patients"
            ADD CONSTRAINT "patients_created_by_fkey" FOREIGN KEY ("clinic_id", "created_by") REFERENCES "users"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "invitations"
            ADD CONSTRAINT "invitations_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "invitations"
            ADD CONSTRAINT "invitations_created_by_fkey" FOREIGN KEY ("clinic_id", "created_by") REFERENCES "users"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "invitations"
            ADD CONSTRAINT "invitations_patient_fkey" FOREIGN KEY ("clinic_id", "patient_id") REFERENCES "patients"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "intakes"
            ADD CONSTRAINT "intakes_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "intakes"
            ADD CONSTRAINT "intakes_reviewed_by_fkey" FOREIGN KEY ("clinic_id", "reviewed_by") REFERENCES "users"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "intakes"
            ADD CONSTRAINT "intakes_invitation_fkey" FOREIGN KEY ("clinic_id", "invitation_id") REFERENCES "invitations"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "intakes"
            ADD CONSTRAINT "intakes_patient_fkey" FOREIGN KEY ("clinic_id", "patient_id") REFERENCES "patients"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "assessments"
            ADD CONSTRAINT "assessments_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "assessments"
            ADD CONSTRAINT "assessments_intake_fkey" FOREIGN KEY ("clinic_id", "intake_id") REFERENCES "intakes"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "point_reviews"
            ADD CONSTRAINT "point_reviews_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "point_reviews"
            ADD CONSTRAINT "point_reviews_updated_by_fkey" FOREIGN KEY ("clinic_id", "updated_by") REFERENCES "users"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "point_reviews"
            ADD CONSTRAINT "point_reviews_assessment_fkey" FOREIGN KEY ("clinic_id", "assessment_id") REFERENCES "assessments"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events"
            ADD CONSTRAINT "audit_events_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sessions"
            ADD CONSTRAINT "sessions_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sessions"
            ADD CONSTRAINT "sessions_invitation_fkey" FOREIGN KEY ("clinic_id", "invitation_id") REFERENCES "invitations"("clinic_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sessions"
            ADD CONSTRAINT "sessions_user_fkey" FOREIGN KEY ("clinic_id", "user_id") REFERENCES "users"("clinic_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "handouts"
            ADD CONSTRAINT "handouts_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "handouts"
            ADD CONSTRAINT "handouts_created_by_fkey" FOREIGN KEY ("clinic_id", "created_by") REFERENCES "users"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "handouts"
            ADD CONSTRAINT "handouts_assessment_fkey" FOREIGN KEY ("clinic_id", "assessment_id") REFERENCES "assessments"("clinic_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Dashboard: alphabetical patient list with keyset paging, and search by name or reference.
    await queryRunner.query(
      `CREATE INDEX "patients_clinic_sort_idx" ON "patients" ("clinic_id", lower("family_name"), lower("given_name"), "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "patients_search_trgm_idx" ON "patients" USING gin ((lower("given_name" || ' ' || "family_name" || ' ' || coalesce("reference", ''))) gin_trgm_ops)`,
    );
    // Sign-in throttling: recent failures per email and per address.
    await queryRunner.query(
      `CREATE INDEX "audit_events_sign_in_failures_email_idx" ON "audit_events" (("detail" ->> 'email'), "occurred_at") WHERE "action" = 'auth.sign_in' AND "outcome" = 'failure'`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_sign_in_failures_ip_idx" ON "audit_events" ("ip", "occurred_at") WHERE "action" = 'auth.sign_in' AND "outcome" = 'failure'`,
    );
    // The audit log is append-only.
    await queryRunner.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
    $$`);
    await queryRunner.query(
      `CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "audit_events_append_only" ON "audit_events"`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query(`DROP INDEX "audit_events_sign_in_failures_ip_idx"`);
    await queryRunner.query(`DROP INDEX "audit_events_sign_in_failures_email_idx"`);
    await queryRunner.query(`DROP INDEX "patients_search_trgm_idx"`);
    await queryRunner.query(`DROP INDEX "patients_clinic_sort_idx"`);
    await queryRunner.query(`
            ALTER TABLE "handouts" DROP CONSTRAINT "handouts_assessment_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "handouts" DROP CONSTRAINT "handouts_created_by_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "handouts" DROP CONSTRAINT "handouts_clinic_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "sessions" DROP CONSTRAINT "sessions_user_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "sessions" DROP CONSTRAINT "sessions_invitation_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "sessions" DROP CONSTRAINT "sessions_clinic_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_clinic_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "point_reviews" DROP CONSTRAINT "point_reviews_assessment_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "point_reviews" DROP CONSTRAINT "point_reviews_updated_by_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "point_reviews" DROP CONSTRAINT "point_reviews_clinic_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "assessments" DROP CONSTRAINT "assessments_intake_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "assessments" DROP CONSTRAINT "assessments_clinic_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "intakes" DROP CONSTRAINT "intakes_patient_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "intakes" DROP CONSTRAINT "intakes_invitation_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "intakes" DROP CONSTRAINT "intakes_reviewed_by_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "intakes" DROP CONSTRAINT "intakes_clinic_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "invitations" DROP CONSTRAINT "invitations_patient_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "invitations" DROP CONSTRAINT "invitations_created_by_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "invitations" DROP CONSTRAINT "invitations_clinic_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "patients" DROP CONSTRAINT "patients_created_by_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "patients" DROP CONSTRAINT "patients_clinic_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "users_clinic_id_fkey"
        `);
    await queryRunner.query(`
            DROP TABLE "handouts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."sessions_user_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."sessions_expires_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "sessions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_clinic_time_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_target_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_events"
        `);
    await queryRunner.query(`
            DROP TABLE "point_reviews"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."assessments_intake_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "assessments"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."intakes_patient_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."intakes_clinic_status_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "intakes"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invitations_patient_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "invitations"
        `);
    await queryRunner.query(`
            DROP TABLE "patients"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
    await queryRunner.query(`
            DROP TABLE "clinics"
        `);
    await queryRunner.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
