import { DataSource } from 'typeorm';

/** Arbitrary constant naming the lock that serialises migrations across app instances. */
const MIGRATION_LOCK = 7_310_402_215;

/**
 * Applies pending migrations, each in its own transaction. Several instances
 * starting at once take turns on an advisory lock, so each migration runs once.
 * Returns the names of the migrations it applied. Needs a pool of at least two
 * connections: one holds the lock while the migrations run on another.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

/** SQL that `synchronize` would run to make the database match the entities: empty when in step. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query.trim());
}
