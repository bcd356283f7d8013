import { Client, DatabaseError } from 'pg';
import { SERVICE_GROUP } from '../src/database/database-roles';
import { createTestDatabase, TestDatabase } from './support/test-database';

/*
 * Least privilege in the database: the service connects as a member of
 * hormone_app, which may read and write rows and nothing more. Here that role
 * tries what an attacker with the service's connection would, and PostgreSQL
 * itself refuses, for lack of privilege rather than by the append-only
 * trigger (which would be dropped first, were it possible).
 */
describe("the service's database role", () => {
  let database: TestDatabase;
  let service: Client;
  let owner: Client;
  let auditId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = new Client({ connectionString: database.serviceUrl });
    owner = new Client({ connectionString: database.ownerUrl });
    await Promise.all([service.connect(), owner.connect()]);
    const { rows } = await service.query<{ id: string }>(
      `INSERT INTO audit_events (actor_type, action, outcome) VALUES ('system', 'auth.sign_out', 'failure') RETURNING id`,
    );
    auditId = rows[0].id;
  });
  afterAll(async () => {
    await Promise.all([service?.end(), owner?.end()]);
    await database?.drop();
  });

  /** The SQLSTATE and message of the refusal, or 'allowed'. */
  async function attempt(sql: string, client = service): Promise<string> {
    try {
      await client.query(sql);
      return 'allowed';
    } catch (error) {
      if (!(error instanceof DatabaseError)) throw error;
      return `${error.code} ${error.message}`;
    }
  }

  it.each([
    ['DROP TRIGGER audit_events_append_only ON audit_events', 'must be owner of'],
    ['ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only', 'must be owner of'],
    ['ALTER TABLE audit_events ADD COLUMN note text', 'must be owner of'],
    ['ALTER TABLE patients ADD COLUMN note text', 'must be owner of'],
    ['DROP TABLE sessions', 'must be owner of'],
    ['DROP FUNCTION refresh_patient_summary(uuid, uuid)', 'must be owner of'],
    [
      'CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$',
      'permission denied for schema',
    ],
    ['CREATE TABLE stolen (x int)', 'permission denied for schema'],
    ['TRUNCATE audit_events', 'permission denied for table audit_events'],
    ['TRUNCATE patients', 'permission denied for table patients'],
  ])('is refused by PostgreSQL: %s', async (sql, message) => {
    const refusal = await attempt(sql);
    expect(refusal).toMatch(/^42501 /);
    expect(refusal).toContain(message);
  });

  it('cannot update or delete an audit event, for lack of the privilege itself', async () => {
    const update = await attempt(
      `UPDATE audit_events SET outcome = 'success' WHERE id = '${auditId}'`,
    );
    const remove = await attempt(`DELETE FROM audit_events WHERE id = '${auditId}'`);
    expect([update, remove]).toEqual([
      '42501 permission denied for table audit_events',
      '42501 permission denied for table audit_events',
    ]);
    const { rows } = await owner.query(`SELECT outcome FROM audit_events WHERE id = $1`, [auditId]);
    expect(rows).toEqual([{ outcome: 'failure' }]);
  });

  it('reads and appends audit events, and reads and writes the other tables', async () => {
    expect(await attempt(`SELECT count(*) FROM audit_events`)).toBe('allowed');
    const { rows } = await service.query<{ id: string }>(
      `INSERT INTO clinics (name) VALUES ('Least Privilege Clinic') RETURNING id`,
    );
    expect(await attempt(`UPDATE clinics SET name = 'Renamed' WHERE id = '${rows[0].id}'`)).toBe(
      'allowed',
    );
    expect(await attempt(`DELETE FROM clinics WHERE id = '${rows[0].id}'`)).toBe('allowed');
  });

  it('holds exactly these grants on every table, through hormone_app only', async () => {
    const { rows } = await owner.query<{ table: string; grantee: string; privileges: string[] }>(
      `SELECT c.relname AS table, a.grantee::regrole::text AS grantee,
              array_agg(a.privilege_type ORDER BY a.privilege_type) AS privileges
       FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
       WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
         AND a.grantee <> c.relowner
       GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const { rows: tables } = await owner.query<{ table: string }>(
      `SELECT relname AS table FROM pg_class
       WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p') ORDER BY 1`,
    );
    const expected = (table: string): string[] =>
      table === 'audit_events'
        ? ['INSERT', 'SELECT']
        : table === 'migrations'
          ? ['SELECT']
          : ['DELETE', 'INSERT', 'SELECT', 'UPDATE'];
    expect(rows).toEqual(
      tables.map(({ table }) => ({ table, grantee: SERVICE_GROUP, privileges: expected(table) })),
    );
    const { rows: membership } = await owner.query<{ member: boolean; owner: boolean }>(
      `SELECT pg_has_role($1, $2, 'MEMBER') AS member,
              pg_has_role($1, (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_events'), 'MEMBER') AS owner`,
      [new URL(database.serviceUrl).username, SERVICE_GROUP],
    );
    expect(membership).toEqual([{ member: true, owner: false }]);
  });

  it('is granted the tables a later migration makes, through the default privileges', async () => {
    await owner.query(`CREATE TABLE later_table (id int PRIMARY KEY, note text)`);
    await owner.query(`CREATE SEQUENCE later_sequence`);
    try {
      expect(await attempt(`INSERT INTO later_table VALUES (1, 'a')`)).toBe('allowed');
      expect(await attempt(`UPDATE later_table SET note = 'b'`)).toBe('allowed');
      expect(await attempt(`SELECT nextval('later_sequence')`)).toBe('allowed');
      expect(await attempt(`DELETE FROM later_table`)).toBe('allowed');
      expect(await attempt(`TRUNCATE later_table`)).toMatch(/^42501 /);
      expect(await attempt(`DROP TABLE later_table`)).toMatch(/^42501 /);
    } finally {
      await owner.query(`DROP TABLE later_table; DROP SEQUENCE later_sequence`);
    }
  });

  it('runs every function of the schema (the triggers call them) with a fixed search_path', async () => {
    const { rows } = await owner.query<{ name: string; config: string[] | null }>(
      `SELECT p.proname AS name, p.proconfig AS config FROM pg_proc p
       WHERE p.pronamespace = current_schema()::regnamespace
         AND NOT EXISTS (SELECT FROM pg_depend d
                         WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
       ORDER BY 1`,
    );
    expect(rows.map((row) => row.name)).toEqual(
      expect.arrayContaining([
        'audit_events_append_only',
        'patients_summary_from_row',
        'refresh_patient_summary',
      ]),
    );
    for (const row of rows) {
      expect({ name: row.name, config: row.config }).toEqual({
        name: row.name,
        config: ['search_path=public, pg_temp'],
      });
    }
  });
});
