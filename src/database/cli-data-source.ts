import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * For the TypeORM CLI (`npm run migration:*`). Needs DATABASE_URL; for the
 * embedded server, `npm run db:url` prints one while the service runs.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('Set DATABASE_URL to the database the migration command should use.');
}
export default new DataSource(dataSourceOptions(url));
