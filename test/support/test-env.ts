/** Environment variables through which global setup tells each test worker where the database is. */
export const TEST_ENV = {
  adminUrl: 'HP_TEST_ADMIN_DATABASE_URL',
  template: 'HP_TEST_TEMPLATE_DATABASE',
} as const;

export function replaceDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
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
