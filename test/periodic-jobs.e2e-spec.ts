import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { PeriodicJobs } from '../src/database/periodic-jobs';
import { createTestDatabase, TestDatabase } from './support/test-database';

/*
 * Periodic work runs once per deployment: instances with their own
 * connections to one PostgreSQL all ask at the same moment, and exactly one
 * is told to run; none again until the period has passed; then one again.
 */
describe('PeriodicJobs on PostgreSQL, several instances asking at once', () => {
  const INSTANCES = 8;
  const EVERY_MS = 15 * 60_000;
  let db: TestDatabase;
  let sources: DataSource[];
  let instances: PeriodicJobs[];

  beforeAll(async () => {
    db = await createTestDatabase();
    sources = await Promise.all(
      Array.from({ length: INSTANCES }, () =>
        new DataSource(dataSourceOptions(db.serviceUrl, 2)).initialize(),
      ),
    );
    instances = sources.map((source) => new PeriodicJobs(source));
  });
  afterAll(async () => {
    await Promise.all(sources.map((source) => source.destroy()));
    await db.drop();
  });

  const askAll = (name: string, at: Date): Promise<boolean[]> =>
    Promise.all(instances.map((jobs) => jobs.claim(name, EVERY_MS, at)));

  it('lets exactly one run per period, the first time and every time after', async () => {
    const start = new Date('2026-12-06T10:00:00Z');
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    for (let round = 0; round < 5; round++) {
      expect((await askAll('sweep', start)).filter(Boolean)).toHaveLength(round === 0 ? 1 : 0);
    }
    expect((await askAll('sweep', at(14))).filter(Boolean)).toHaveLength(0);
    expect((await askAll('sweep', at(15))).filter(Boolean)).toHaveLength(1);
    expect((await askAll('sweep', at(16))).filter(Boolean)).toHaveLength(0);
    // A deployment that was down for hours runs it once when it comes back, not once per missed period.
    expect((await askAll('sweep', at(600))).filter(Boolean)).toHaveLength(1);
    expect((await askAll('sweep', at(601))).filter(Boolean)).toHaveLength(0);
  });

  it('keeps each job to its own turn', async () => {
    const now = new Date('2026-12-06T12:00:00Z');
    expect((await askAll('one', now)).filter(Boolean)).toHaveLength(1);
    expect((await askAll('two', now)).filter(Boolean)).toHaveLength(1);
  });
});
