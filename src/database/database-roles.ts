import { Client } from 'pg';

/**
 * The group role that holds the running service's privileges, granted by
 * migration 1763800001300 (which names it too). The service's login role,
 * whatever its name, is a member of it and of nothing else.
 */
export const SERVICE_GROUP = 'hormone_app';

export interface LoginRole {
  readonly name: string;
  readonly password: string;
}

/**
 * As a superuser, on a server this process manages (the embedded one, the
 * tests' throwaway one): the service's group, a login role that owns the
 * database and runs migrations, and a login role for the service that is a
 * member of the group only. Anything in the database that the superuser
 * owns (an install from before the two roles, when migrations ran as the
 * superuser) is handed to the owner. Safe to run at every start.
 */
export async function provisionRoles(
  superuserUrl: string,
  database: string,
  owner: LoginRole,
  service: LoginRole,
): Promise<void> {
  const server = new Client({ connectionString: withDatabase(superuserUrl, 'postgres') });
  await server.connect();
  try {
    for (const [name, options] of [
      [SERVICE_GROUP, 'NOLOGIN'],
      [owner.name, 'LOGIN'],
      [service.name, 'LOGIN'],
    ] as const) {
      await server.query(`
        DO $$
        BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${server.escapeLiteral(name)}) THEN
            CREATE ROLE ${server.escapeIdentifier(name)} ${options};
          END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
          NULL; -- made at the same moment by another process
        END
        $$`);
    }
    for (const role of [owner, service]) {
      await server.query(
        `ALTER ROLE ${server.escapeIdentifier(role.name)} WITH LOGIN PASSWORD ${server.escapeLiteral(role.password)}`,
      );
    }
    await server.query(
      `GRANT ${server.escapeIdentifier(SERVICE_GROUP)} TO ${server.escapeIdentifier(service.name)}`,
    );
    await server.query(
      `ALTER DATABASE ${server.escapeIdentifier(database)} OWNER TO ${server.escapeIdentifier(owner.name)}`,
    );
  } finally {
    await server.end();
  }

  const inside = new Client({ connectionString: withDatabase(superuserUrl, database) });
  await inside.connect();
  try {
    await inside.query(handOverSql(owner.name));
  } finally {
    await inside.end();
  }
}

/**
 * Tables, views, sequences and functions that the connected superuser owns
 * in the current schema, handed to the owner (extension members stay with
 * the extension). Tables first: their serial sequences follow them.
 */
function handOverSql(owner: string): string {
  const to = owner.replace(/"/g, '""');
  const mine = `pg_get_userbyid(%s) = current_user`;
  const notExtension = (catalog: string, oid: string) =>
    `NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
  return `
    DO $$
    DECLARE
      object text;
    BEGIN
      FOR object IN
        SELECT c.oid::regclass::text FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND ${mine.replace('%s', 'c.relowner')} AND ${notExtension('pg_class', 'c.oid')}
      LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO "${to}"', object);
      END LOOP;
      FOR object IN
        SELECT c.oid::regclass::text FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'S'
          AND ${mine.replace('%s', 'c.relowner')} AND ${notExtension('pg_class', 'c.oid')}
      LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO "${to}"', object);
      END LOOP;
      FOR object IN
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace
          AND ${mine.replace('%s', 'p.proowner')} AND ${notExtension('pg_proc', 'p.oid')}
      LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO "${to}"', object);
      END LOOP;
    END
    $$`;
}

/** What the service's login role may do, as PostgreSQL sees it. */
export interface ServiceRolePowers {
  readonly user: string;
  readonly superuser: boolean;
  /** Can read and append audit events: it has the service's grants. */
  readonly canWork: boolean;
  /** Can update, delete or empty audit events: it owns them, or was granted too much. */
  readonly canRewriteAudit: boolean;
  /** Can create objects in the schema. */
  readonly canCreate: boolean;
}

export async function serviceRolePowers(url: string): Promise<ServiceRolePowers> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<ServiceRolePowers>(`
      SELECT current_user AS "user",
             (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
             has_table_privilege('audit_events', 'SELECT')
               AND has_table_privilege('audit_events', 'INSERT') AS "canWork",
             has_table_privilege('audit_events', 'UPDATE')
               OR has_table_privilege('audit_events', 'DELETE')
               OR has_table_privilege('audit_events', 'TRUNCATE') AS "canRewriteAudit",
             has_schema_privilege(current_schema(), 'CREATE') AS "canCreate"`);
    return rows[0];
  } finally {
    await client.end();
  }
}

/**
 * Whether the service may start with a role of these powers: without the
 * grants it cannot work; with more, it could rewrite the audit trail or the
 * schema, which production refuses and elsewhere (one role for everything,
 * as on a developer's machine) is a warning.
 */
export function judgeServiceRole(
  powers: ServiceRolePowers,
  production: boolean,
): { readonly refuse?: string; readonly warn?: string } {
  const user = JSON.stringify(powers.user);
  if (!powers.canWork) {
    return {
      refuse: `the database role ${user} that the service connects as has no rights on the tables. Make it a member of ${SERVICE_GROUP}: GRANT ${SERVICE_GROUP} TO ${user}; (README, "With an external PostgreSQL").`,
    };
  }
  const too = [
    powers.superuser && 'is a superuser',
    !powers.superuser && powers.canRewriteAudit && 'can change or delete audit events',
    !powers.superuser && powers.canCreate && 'can create objects in the schema',
  ].filter((reason): reason is string => typeof reason === 'string');
  if (too.length === 0) return {};
  const sentence =
    `the database role ${user} that the service connects as ${too.join(' and ')}. ` +
    `Connect the service as a role that is only a member of ${SERVICE_GROUP}, and give the owner's credentials as DATABASE_OWNER_USER and DATABASE_OWNER_PASSWORD (README, "With an external PostgreSQL").`;
  return production ? { refuse: sentence } : { warn: sentence };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
