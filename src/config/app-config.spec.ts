import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, VARIABLES } from './app-config';
import { PROJECT_ROOT } from './project-root';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives working defaults for a development machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: undefined,
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
      signInMaxFailures: 10,
      invitationLinkMaxFailures: 20,
      demoData: 'auto',
      trustProxy: false,
    });
    expect(config.embeddedPg.dataDir).toBe(join(PROJECT_ROOT, '.data', 'postgres'));
    expect(config.embeddedPg.port).toBe(54320);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
    });
  });

  it('reads a valid external database and production settings', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://app:pw@db.internal:5432/clinic',
      SESSION_SECRET: 'k8Jw2qLx9Vb4Nz7Tr1Ye5Ua3Ic6Od0Pf',
      PORT: '8080',
      TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({ env: 'production', port: 8080, trustProxy: true });
    expect(config.databaseUrl).toBe('postgresql://app:pw@db.internal:5432/clinic');
  });

  it('lists every bad variable at once, with what it expects', () => {
    const problems = problemsOf({
      PORT: '0',
      DATABASE_URL: 'postgres://host-without-database',
      SESSION_IDLE_MINUTES: 'ten',
      INVITATION_LINK_MAX_FAILURES: '2',
      LOG_LEVEL: 'loud',
      TRUST_PROXY: 'yes',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'DATABASE_URL',
      'SESSION_IDLE_MINUTES',
      'INVITATION_LINK_MAX_FAILURES',
      'LOG_LEVEL',
      'TRUST_PROXY',
    ]);
    expect(problems[0]).toBe('PORT: expected a TCP port number from 1 to 65535 (got "0")');
  });

  it('requires a strong secret in production and never echoes it', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'SESSION_SECRET: expected a random secret of at least 32 characters (required when NODE_ENV=production)',
    ]);
    const weak = problemsOf({ NODE_ENV: 'production', SESSION_SECRET: 'a'.repeat(40) });
    expect(weak).toHaveLength(1);
    expect(weak[0]).not.toContain('aaaa');
  });

  it('is documented: the README configuration table names every variable', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const variable of Object.values(VARIABLES)) {
      expect(readme).toContain(`| \`${variable.name}\``);
    }
  });
});
