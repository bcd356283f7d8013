import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/**
 * For the TypeORM CLI (`npm run migration:*`): the external database as the
 * owner of its schema (DATABASE_OWNER_USER and _PASSWORD beside DATABASE_URL
 * or its parts), or as the one role given.
 */
const config = loadConfig(process.env);
const url = config.migrationDatabaseUrl ?? config.databaseUrl;
if (!url) {
  throw new Error(
    'Set DATABASE_URL (or DATABASE_HOST and its parts), with DATABASE_OWNER_USER and DATABASE_OWNER_PASSWORD, to the database the migration command should use.',
  );
}
export default new DataSource(dataSourceOptions(url));
