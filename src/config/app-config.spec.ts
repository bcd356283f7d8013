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
      PUBLIC_URL: 'https://intake.clinic.org',
      TRUST_PROXY: '10.0.0.2, loopback,fd00::/8',
    });
    expect(config).toMatchObject({
      env: 'production',
      port: 8080,
      publicUrl: 'https://intake.clinic.org',
      trustProxy: ['10.0.0.2', 'loopback', 'fd00::/8'],
    });
    expect(config.databaseUrl).toBe('postgresql://app:pw@db.internal:5432/clinic');
  });

  const PRODUCTION = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'k8Jw2qLx9Vb4Nz7Tr1Ye5Ua3Ic6Od0Pf',
    PUBLIC_URL: 'https://intake.clinic.org',
  };

  it('requires an https PUBLIC_URL in production: links and Secure cookies depend on it', () => {
    expect(problemsOf({ ...PRODUCTION, PUBLIC_URL: '' })).toEqual([
      'PUBLIC_URL: required when NODE_ENV=production (the https address patients use, e.g. https://intake.clinic.org)',
    ]);
    expect(problemsOf({ ...PRODUCTION, PUBLIC_URL: 'http://intake.clinic.org' })[0]).toMatch(
      /^PUBLIC_URL: must be https when NODE_ENV=production/,
    );
    expect(loadConfig({ PUBLIC_URL: 'http://192.168.1.20:3000' }).publicUrl).toBe(
      'http://192.168.1.20:3000',
    );
  });

  it('builds the database URL from its parts, so any password works', () => {
    const password = 'a/b@c#d:e?f%g h';
    const config = loadConfig({
      ...PRODUCTION,
      DATABASE_HOST: 'db',
      DATABASE_USER: 'clinic app',
      DATABASE_PASSWORD: password,
      DATABASE_NAME: 'hormone_intake',
    });
    const url = new URL(config.databaseUrl!);
    expect(url.hostname).toBe('db');
    expect(url.port).toBe('5432');
    expect(decodeURIComponent(url.username)).toBe('clinic app');
    expect(decodeURIComponent(url.password)).toBe(password);
    expect(url.pathname).toBe('/hormone_intake');
    expect(
      new URL(
        loadConfig({
          DATABASE_HOST: '::1',
          DATABASE_USER: 'u',
          DATABASE_NAME: 'd',
          DATABASE_PORT: '6543',
        }).databaseUrl!,
      ).host,
    ).toBe('[::1]:6543');
  });

  it('refuses the database given twice, or in part, and never echoes the password', () => {
    const both = problemsOf({
      DATABASE_URL: 'postgres://u:p@h/d',
      DATABASE_HOST: 'db',
      DATABASE_PASSWORD: 'hunter2-secret',
    });
    expect(both).toEqual([
      'DATABASE_URL: give either DATABASE_URL or the DATABASE_HOST/_USER/_PASSWORD/_NAME parts, not both (DATABASE_HOST, DATABASE_PASSWORD set)',
    ]);
    expect(problemsOf({ DATABASE_HOST: 'db', DATABASE_PASSWORD: 'hunter2-secret' })).toEqual([
      'DATABASE_USER, DATABASE_NAME: required with DATABASE_HOST, DATABASE_PASSWORD (or give DATABASE_URL)',
    ]);
    expect(
      JSON.stringify([
        both,
        problemsOf({ DATABASE_PORT: 'x', DATABASE_PASSWORD: 'hunter2-secret' }),
      ]),
    ).not.toContain('hunter2');
  });

  it("gives migrations the owner's credentials on the service's server, in either form", () => {
    const password = 'o/w@n#e:r?%x y';
    const byParts = loadConfig({
      DATABASE_HOST: 'db',
      DATABASE_PORT: '6543',
      DATABASE_USER: 'clinic_service',
      DATABASE_PASSWORD: 'service-pw',
      DATABASE_NAME: 'hormone_intake',
      DATABASE_OWNER_USER: 'clinic owner',
      DATABASE_OWNER_PASSWORD: password,
    });
    const owner = new URL(byParts.migrationDatabaseUrl!);
    expect(owner.host).toBe('db:6543');
    expect(owner.pathname).toBe('/hormone_intake');
    expect(decodeURIComponent(owner.username)).toBe('clinic owner');
    expect(decodeURIComponent(owner.password)).toBe(password);
    expect(decodeURIComponent(new URL(byParts.databaseUrl!).username)).toBe('clinic_service');

    const byUrl = loadConfig({
      DATABASE_URL: 'postgres://svc:pw@db.internal:5432/clinic?sslmode=require',
      DATABASE_OWNER_USER: 'clinic_owner',
      DATABASE_OWNER_PASSWORD: password,
    });
    expect(byUrl.databaseUrl).toBe('postgres://svc:pw@db.internal:5432/clinic?sslmode=require');
    const fromUrl = new URL(byUrl.migrationDatabaseUrl!);
    expect(fromUrl.host).toBe('db.internal:5432');
    expect(fromUrl.search).toBe('?sslmode=require');
    expect(decodeURIComponent(fromUrl.username)).toBe('clinic_owner');
    expect(decodeURIComponent(fromUrl.password)).toBe(password);

    expect(loadConfig({ DATABASE_URL: 'postgres://svc:pw@db/clinic' }).migrationDatabaseUrl).toBe(
      undefined,
    );
  });

  it("refuses the owner's credentials alone, with the embedded database, or as the service's user, never echoing them", () => {
    expect(problemsOf({ DATABASE_OWNER_USER: 'owner' })).toEqual([
      'DATABASE_OWNER_USER: only with an external database (DATABASE_URL or DATABASE_HOST); the embedded one makes its own roles',
    ]);
    const passwordOnly = problemsOf({
      DATABASE_URL: 'postgres://svc:pw@db/clinic',
      DATABASE_OWNER_PASSWORD: 'owner-secret-pw',
    });
    expect(passwordOnly).toEqual(['DATABASE_OWNER_USER: required with DATABASE_OWNER_PASSWORD']);
    const same = problemsOf({
      DATABASE_URL: 'postgres://svc:pw@db/clinic',
      DATABASE_OWNER_USER: 'svc',
      DATABASE_OWNER_PASSWORD: 'owner-secret-pw',
    });
    expect(same).toEqual([
      'DATABASE_OWNER_USER: must be another user than the service connects as (got "svc" for both)',
    ]);
    expect(JSON.stringify([passwordOnly, same])).not.toContain('owner-secret-pw');
  });

  it('trusts only the proxies named, never a blanket true', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '172.18.0.0/16' }).trustProxy).toEqual(['172.18.0.0/16']);
    for (const bad of ['true', '1', 'caddy', '10.0.0.0/33', '10.0.0.1/8/8', '::1/129']) {
      const names = problemsOf({ TRUST_PROXY: bad }).map((p) => p.split(':')[0]);
      expect({ bad, names }).toEqual({ bad, names: ['TRUST_PROXY'] });
    }
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
    expect(problemsOf({ NODE_ENV: 'production', PUBLIC_URL: 'https://intake.clinic.org' })).toEqual(
      [
        'SESSION_SECRET: expected a random secret of at least 32 characters (required when NODE_ENV=production)',
      ],
    );
    const weak = problemsOf({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://intake.clinic.org',
      SESSION_SECRET: 'a'.repeat(40),
    });
    expect(weak).toHaveLength(1);
    expect(weak[0]).not.toContain('aaaa');
  });

  it('turns email on with SMTP_URL and MAIL_FROM together, off without them', () => {
    expect(loadConfig({}).mail).toBeUndefined();
    expect(
      loadConfig({
        SMTP_URL: 'smtps://mailer:s3cret@smtp.example.org:465',
        MAIL_FROM: 'Appointments <no-reply@clinic.example>',
        MAIL_REPLY_TO: 'desk@clinic.example',
      }).mail,
    ).toEqual({
      smtpUrl: 'smtps://mailer:s3cret@smtp.example.org:465',
      from: 'Appointments <no-reply@clinic.example>',
      replyTo: 'desk@clinic.example',
    });
    expect(loadConfig({ SMTP_URL: 'smtp://localhost:25', MAIL_FROM: 'a@b.example' }).mail).toEqual({
      smtpUrl: 'smtp://localhost:25',
      from: 'a@b.example',
      replyTo: undefined,
    });
    expect(problemsOf({ SMTP_URL: 'smtp://u:p@smtp.example.org' })).toEqual([
      'MAIL_FROM: required with SMTP_URL',
    ]);
    expect(problemsOf({ MAIL_FROM: 'a@b.example' })).toEqual([
      'SMTP_URL: required with MAIL_FROM (or unset both: no email is sent)',
    ]);
  });

  it('refuses a bad SMTP_URL without echoing its credentials, and a sender that is not one address', () => {
    for (const url of [
      'http://mailer:pw-secret-42@smtp.example.org',
      'smtp://mailer@smtp.example.org',
      'smtps://:pw-secret-42@smtp.example.org',
      'smtp://mailer:pw-secret-42@smtp.example.org/path',
      'not a url pw-secret-42',
    ]) {
      const problems = problemsOf({ SMTP_URL: url, MAIL_FROM: 'a@b.example' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^SMTP_URL: expected an smtp:\/\/ or smtps:\/\/ URL/);
      expect(problems[0]).not.toContain('pw-secret-42');
      expect(problems[0]).not.toContain('mailer');
    }
    const smtp = { SMTP_URL: 'smtp://localhost:25' };
    for (const from of [
      'no address',
      'a@b',
      'a@b.example\r\nBcc: x@y.example',
      'A <a@b.example',
      'a@b.example, c@d.example',
    ]) {
      expect(problemsOf({ ...smtp, MAIL_FROM: from })[0]).toMatch(/^MAIL_FROM: expected/);
    }
    expect(problemsOf({ ...smtp, MAIL_FROM: 'a@b.example', MAIL_REPLY_TO: 'nope' })[0]).toMatch(
      /^MAIL_REPLY_TO: expected/,
    );
  });

  it('is documented: the README configuration table names every variable', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const variable of Object.values(VARIABLES)) {
      expect(readme).toContain(`| \`${variable.name}\``);
    }
  });
});
