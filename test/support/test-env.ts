/** Environment variables through which global setup tells each test worker where the database is. */
export const TEST_ENV = {
  adminUrl: 'HP_TEST_ADMIN_DATABASE_URL',
  template: 'HP_TEST_TEMPLATE_DATABASE',
  ownerPassword: 'HP_TEST_OWNER_PASSWORD',
  servicePassword: 'HP_TEST_SERVICE_PASSWORD',
} as const;

/**
 * The two login roles the tests use, as an operator would: the owner of
 * every test database (migrations run as it), and the service's role, a
 * member of hormone_app only, that the app under test connects as.
 */
export const TEST_OWNER = 'hp_test_owner';
export const TEST_SERVICE = 'hp_test_service';

export function replaceDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The same server and database as another login role. */
export function asRole(url: string, name: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(name);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value)
    throw new Error(
      `${TEST_ENV[name]} is not set: run integration tests through jest's global setup`,
    );
  return value;
}
