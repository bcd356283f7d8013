import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, QueryFailedError } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { dataSourceOptions } from '../src/database/data-source-options';
import { pendingSchemaChanges, runMigrations } from '../src/database/migrate';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** The PostgreSQL error code of a failed statement. */
async function sqlState(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    if (!(error instanceof QueryFailedError)) throw error;
    return (error.driverError as { code?: string }).code;
  }
}

describe('schema and migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    // As the owner of the schema, as migrations run.
    dataSource = await new DataSource(dataSourceOptions(database.ownerUrl, 2)).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('has no entity change without a migration (what `synchronize` would run is empty)', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('lists every migration file, in order', () => {
    const files = readdirSync(join(__dirname, '..', 'migrations'))
      .filter((file) => /^\d+-\w+\.ts$/.test(file))
      .sort();
    const listed = MIGRATIONS.map((migration) => {
      const match = /^(\w+?)(\d+)$/.exec(migration.name);
      return `${match?.[2]}-${match?.[1]}.ts`;
    });
    expect(listed).toEqual(files);
  });

  it('reverts every migration cleanly, then applies them again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++)
      await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource.query<{ tablename: string }[]>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    expect(tables.map((t) => t.tablename)).toEqual(['migrations']);
    const functions = await dataSource.query<unknown[]>(
      `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace`,
    );
    expect(functions).toEqual([]);

    expect(await runMigrations(dataSource)).toHaveLength(MIGRATIONS.length);
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  describe('integrity enforced by PostgreSQL itself', () => {
    let north: { clinic: string; user: string; patient: string };
    let south: { clinic: string; user: string; patient: string };

    const seedClinic = async (name: string) => {
      const [clinic] = await dataSource.query<{ id: string }[]>(
        `INSERT INTO clinics (name) VALUES ($1) RETURNING id`,
        [name],
      );
      const [user] = await dataSource.query<{ id: string }[]>(
        `INSERT INTO users (clinic_id, email, display_name, role, password_hash) VALUES ($1, $2, 'X', 'clinician', 'h') RETURNING id`,
        [clinic.id, `${name.toLowerCase()}@clinic.test`],
      );
      const [patient] = await dataSource.query<{ id: string }[]>(
        `INSERT INTO patients (clinic_id, given_name, family_name, created_by) VALUES ($1, 'A', 'B', $2) RETURNING id`,
        [clinic.id, user.id],
      );
      return { clinic: clinic.id, user: user.id, patient: patient.id };
    };

    beforeAll(async () => {
      north = await seedClinic('North');
      south = await seedClinic('South');
    });

    it("refuses a row of one clinic that points at another clinic's patient", async () => {
      const code = await sqlState(
        dataSource.query(
          `INSERT INTO invitations (clinic_id, patient_id, protocol, token_hash, expires_at, created_by)
           VALUES ($1, $2, 'trt', decode(repeat('ab', 32), 'hex'), now() + interval '1 day', $3)`,
          [north.clinic, south.patient, north.user],
        ),
      );
      expect(code).toBe('23503'); // foreign_key_violation
    });

    it("refuses a webhook delivery of one clinic to another clinic's endpoint", async () => {
      const [endpoint] = await dataSource.query<{ id: string }[]>(
        `INSERT INTO webhook_endpoints (clinic_id, url, events, secret_sealed, created_by)
         VALUES ($1, 'https://hooks.example.org/', '{intake.submitted}', decode(repeat('ab', 60), 'hex'), $2)
         RETURNING id`,
        [north.clinic, north.user],
      );
      const delivery = (clinic: string) =>
        dataSource.query(
          `INSERT INTO webhook_deliveries (clinic_id, endpoint_id, event_id, event_type, data,
             occurred_at, status, next_attempt_at, updated_at)
           VALUES ($1, $2, gen_random_uuid(), 'intake.submitted', '{}', now(), 'pending', now(), now())`,
          [clinic, endpoint.id],
        );
      expect(await sqlState(delivery(south.clinic))).toBe('23503'); // foreign_key_violation
      expect(await sqlState(delivery(north.clinic))).toBeUndefined();
    });

    it('refuses unknown protocols, roles and statuses', async () => {
      expect(
        await sqlState(
          dataSource.query(
            `INSERT INTO invitations (clinic_id, patient_id, protocol, token_hash, expires_at, created_by)
             VALUES ($1, $2, 'megadose', decode(repeat('ab', 32), 'hex'), now() + interval '1 day', $3)`,
            [north.clinic, north.patient, north.user],
          ),
        ),
      ).toBe('23514'); // check_violation
      expect(
        await sqlState(
          dataSource.query(
            `INSERT INTO users (clinic_id, email, display_name, role, password_hash) VALUES ($1, 'r@x.test', 'R', 'root', 'h')`,
            [north.clinic],
          ),
        ),
      ).toBe('23514');
    });

    it('keeps emails unique and stored lower-case', async () => {
      expect(
        await sqlState(
          dataSource.query(
            `INSERT INTO users (clinic_id, email, display_name, role, password_hash) VALUES ($1, 'Upper@X.test', 'U', 'admin', 'h')`,
            [north.clinic],
          ),
        ),
      ).toBe('23514');
      expect(
        await sqlState(
          dataSource.query(
            `INSERT INTO users (clinic_id, email, display_name, role, password_hash) VALUES ($1, 'north@clinic.test', 'U', 'admin', 'h')`,
            [south.clinic],
          ),
        ),
      ).toBe('23505'); // unique_violation
    });

    it('keeps the audit log append-only', async () => {
      await dataSource.query(
        `INSERT INTO audit_events (clinic_id, actor_type, action, outcome) VALUES ($1, 'system', 'auth.sign_out', 'success')`,
        [north.clinic],
      );
      expect(await sqlState(dataSource.query(`UPDATE audit_events SET outcome = 'failure'`))).toBe(
        '42501',
      );
      expect(await sqlState(dataSource.query(`DELETE FROM audit_events`))).toBe('42501');
    });

    it('refuses a handout whose recorded size does not match its bytes', async () => {
      const code = await sqlState(
        dataSource.query(
          `INSERT INTO handouts (clinic_id, assessment_id, kind, template_version, paper, content_hash, byte_size, content, created_by)
           VALUES ($1, gen_random_uuid(), 'patient', 'v1', 'a4', repeat('a', 64), 99, '\\x255044462d', $2)`,
          [north.clinic, north.user],
        ),
      );
      expect(code).toBe('23514'); // CHECKs run before the foreign keys are checked
    });
  });
});
