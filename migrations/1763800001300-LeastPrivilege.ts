import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The group role that holds everything the running service (web instances
 * and render workers) may do; its login roles are made members of it. The
 * same name as SERVICE_GROUP in src/database/database-roles.ts; fixed here,
 * since a migration must mean the same thing whenever it runs.
 */
const GROUP = 'hormone_app';

/** The functions the migrations define; the triggers call them when the service writes rows. */
const FUNCTIONS = [
  'audit_events_append_only()',
  'patients_summary_from_row()',
  'refresh_patient_summary(uuid, uuid)',
];

/**
 * Least privilege in the database. Migrations run as the owner of the
 * schema; the service connects as a member of `hormone_app`, which may read
 * and write rows and use sequences, and nothing else: no CREATE, ALTER or
 * DROP (only an owner may), no TRUNCATE, and on `audit_events` only SELECT
 * and INSERT, so it can neither edit the audit trail nor drop the trigger
 * that keeps it append-only.
 *
 * Tables made by later migrations are granted through the owner's default
 * privileges; a later migration that must restrict a table further (as
 * audit_events is here) revokes explicitly.
 *
 * The trigger functions stay SECURITY INVOKER: what they do (read
 * invitations, intakes and assessments, update the patient's summary row) is
 * already within the service's grants, and running them as the owner would
 * give more than is needed. Each gets a fixed search_path, so what a name in
 * its body means never depends on the session that fires it.
 */
export class LeastPrivilege1763800001300 implements MigrationInterface {
  name = 'LeastPrivilege1763800001300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The group role is cluster-wide: create it when missing, if this user may.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${GROUP}') THEN
          IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            RAISE EXCEPTION 'the role ${GROUP} does not exist and % may not create it', current_user
              USING ERRCODE = 'insufficient_privilege',
                    HINT = 'As a user with CREATEROLE, run: CREATE ROLE ${GROUP} NOLOGIN; then start again (README, "With an external PostgreSQL").';
          END IF;
          BEGIN
            CREATE ROLE ${GROUP} NOLOGIN;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- made at the same moment by another database's migration
          END;
        END IF;
      END
      $$`);
    const schema = await schemaOf(queryRunner);
    const migrations = migrationsTable(queryRunner);

    // Only an owner of the schema may change who creates in it (PostgreSQL 14 and older let
    // everyone create in public; the README's SQL revokes that as the superuser where needed).
    await queryRunner.query(`
      DO $$
      BEGIN
        IF pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = current_schema()), 'USAGE') THEN
          REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC;
          GRANT USAGE ON SCHEMA ${schema} TO ${GROUP};
        END IF;
      END
      $$`);

    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${GROUP}`,
    );
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${GROUP}`);
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${GROUP}`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${GROUP}`,
    );

    // The audit trail: read and append, nothing else.
    await queryRunner.query(`REVOKE ALL ON "audit_events" FROM ${GROUP}`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "audit_events" TO ${GROUP}`);
    // TypeORM's list of applied migrations: readable (to tell that none is pending), not writable.
    await queryRunner.query(`REVOKE ALL ON ${migrations} FROM ${GROUP}`);
    await queryRunner.query(`GRANT SELECT ON ${migrations} TO ${GROUP}`);
    await queryRunner.query(`
      DO $$
      DECLARE
        sequence text := pg_get_serial_sequence('${migrations.replace(/'/g, "''")}', 'id');
      BEGIN
        IF sequence IS NOT NULL THEN
          EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM ${GROUP}', sequence);
        END IF;
      END
      $$`);

    for (const fn of FUNCTIONS) {
      await queryRunner.query(`ALTER FUNCTION ${fn} SET search_path = ${schema}, pg_temp`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const schema = await schemaOf(queryRunner);
    for (const fn of FUNCTIONS) await queryRunner.query(`ALTER FUNCTION ${fn} RESET search_path`);
    // Whoever set them (the owner), not necessarily who reverts.
    await queryRunner.query(`
      DO $$
      DECLARE
        grantor text;
      BEGIN
        FOR grantor IN
          SELECT pg_get_userbyid(defaclrole) FROM pg_default_acl
          WHERE defaclnamespace = current_schema()::regnamespace
        LOOP
          EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA ${schema} REVOKE ALL ON TABLES FROM ${GROUP}', grantor);
          EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA ${schema} REVOKE ALL ON SEQUENCES FROM ${GROUP}', grantor);
        END LOOP;
      END
      $$`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${GROUP}`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${GROUP}`);
    await queryRunner.query(`
      DO $$
      BEGIN
        IF pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = current_schema()), 'USAGE') THEN
          REVOKE USAGE ON SCHEMA ${schema} FROM ${GROUP};
        END IF;
      END
      $$`);
    // The role itself stays: it is shared by every database of the server.
  }
}

/** The schema the tables live in (the first of the search path), quoted. */
async function schemaOf(queryRunner: QueryRunner): Promise<string> {
  const [{ schema }] = (await queryRunner.query(
    `SELECT quote_ident(current_schema()) AS schema`,
  )) as { schema: string }[];
  return schema;
}

function migrationsTable(queryRunner: QueryRunner): string {
  const name = queryRunner.connection.options.migrationsTableName ?? 'migrations';
  return `"${name.replace(/"/g, '""')}"`;
}
