import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { hashToken } from '../common/tokens';
import { loadConfig } from '../config/app-config';
import { UserEntity } from '../users/user.entity';
import { UserRepository } from '../users/user.repository';
import { AuthService, SIGN_IN_FAILED } from './auth.service';
import { PasswordHasher } from './password-hasher';
import { SessionEntity } from './session.entity';
import { SessionRepository } from './session.repository';
import { SignInThrottle } from './sign-in-throttle';
import { MfaService } from './mfa.service';

const NOW = new Date('2026-03-01T12:00:00Z');
const minutes = (n: number) => n * 60_000;

function user(overrides: Partial<UserEntity> = {}): UserEntity {
  return {
    id: 'u1',
    clinicId: 'c1',
    email: 'a@clinic.test',
    displayName: 'A',
    role: 'clinician',
    passwordHash: 'hash',
    invitationTokenHash: null,
    invitationExpiresAt: null,
    deactivatedAt: null,
    lastSignInAt: null,
    mfaSecret: null,
    mfaEnrolledAt: null,
    mfaLastStep: null,
    mfaPendingSecret: null,
    mfaPendingSessionId: null,
    mfaPendingAt: null,
    mfaFailures: 0,
    passwordResetTokenHash: null,
    passwordResetExpiresAt: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

function session(overrides: Partial<SessionEntity> = {}): SessionEntity {
  return {
    id: 's1',
    tokenHash: hashToken('token'),
    kind: 'clinician',
    stage: 'complete',
    clinicId: 'c1',
    userId: 'u1',
    invitationId: null,
    createdAt: new Date(NOW.getTime() - minutes(60)),
    lastSeenAt: new Date(NOW.getTime() - minutes(5)),
    expiresAt: new Date(NOW.getTime() + minutes(600)),
    ...overrides,
  };
}

function setup(found: { session: SessionEntity; user: UserEntity } | null) {
  const clinic = { id: 'c1', name: 'Clinic', timeZone: 'Europe/Berlin' };
  const sessions = {
    findClinicianSession: jest.fn().mockResolvedValue(found && { ...found, clinic }),
    delete: jest.fn().mockResolvedValue(undefined),
    touch: jest.fn().mockResolvedValue(undefined),
  };
  const audit = { record: jest.fn().mockResolvedValue(undefined) };
  const throttle = {
    reserve: jest.fn().mockResolvedValue({ allowed: true, keys: { locking: [], shared: [] } }),
    succeeded: jest.fn().mockResolvedValue(undefined),
    issueDevice: jest.fn().mockReturnValue('device'),
  };
  const users = { findForSignIn: jest.fn().mockResolvedValue(null) };
  const hasher = { verify: jest.fn().mockResolvedValue(false) };
  const clock = { now: () => NOW };
  const service = new AuthService(
    loadConfig({
      SESSION_IDLE_MINUTES: '30',
      SESSION_ABSOLUTE_HOURS: '12',
      SIGN_IN_MAX_FAILURES: '5',
    }),
    users as unknown as UserRepository,
    sessions as unknown as SessionRepository,
    hasher as unknown as PasswordHasher,
    audit as unknown as AuditService,
    clock,
    {} as DataSource,
    throttle as unknown as SignInThrottle,
    {} as MfaService,
  );
  return { service, sessions, audit, users, hasher, throttle };
}

describe('AuthService.resolve', () => {
  it('returns the clinician of a live session, without writing when seen recently', async () => {
    const { service, sessions } = setup({
      session: session({ lastSeenAt: new Date(NOW.getTime() - 30_000) }),
      user: user(),
    });
    await expect(service.resolve('token')).resolves.toMatchObject({
      actor: { userId: 'u1', clinicId: 'c1', timeZone: 'Europe/Berlin', sessionId: 's1' },
    });
    expect(sessions.findClinicianSession).toHaveBeenCalledWith(hashToken('token'));
    expect(sessions.touch).not.toHaveBeenCalled();
  });

  it('gives a session waiting for its second step as pending, never as a signed-in clinician', async () => {
    const { service, sessions } = setup({ session: session({ stage: 'code' }), user: user() });
    const resolved = await service.resolve('token');
    expect(resolved).toEqual({
      pending: expect.objectContaining({ sessionId: 's1', userId: 'u1', stage: 'code' }) as unknown,
    });
    expect(sessions.touch).not.toHaveBeenCalled();
  });

  it('moves last_seen_at forward once a twentieth of the idle timeout has passed, at most a minute', async () => {
    const { service, sessions } = setup({ session: session(), user: user() });
    await service.resolve('token');
    expect(sessions.touch).toHaveBeenCalledWith('s1', NOW);

    const recent = setup({
      session: session({ lastSeenAt: new Date(NOW.getTime() - 59_000) }),
      user: user(),
    });
    await recent.service.resolve('token');
    expect(recent.sessions.touch).not.toHaveBeenCalled();
  });

  it.each([
    ['idle past the timeout', session({ lastSeenAt: new Date(NOW.getTime() - minutes(30)) })],
    ['past its absolute end', session({ expiresAt: NOW })],
  ])('ends a session %s', async (_case, expired) => {
    const { service, sessions } = setup({ session: expired, user: user() });
    await expect(service.resolve('token')).resolves.toBeUndefined();
    expect(sessions.delete).toHaveBeenCalledWith('s1');
  });

  it('ends the session of a deactivated user', async () => {
    const { service, sessions } = setup({ session: session(), user: user({ deactivatedAt: NOW }) });
    await expect(service.resolve('token')).resolves.toBeUndefined();
    expect(sessions.delete).toHaveBeenCalledWith('s1');
  });

  it('knows no unknown token', async () => {
    const { service } = setup(null);
    await expect(service.resolve('nope')).resolves.toBeUndefined();
  });
});

describe('AuthService.signIn', () => {
  it('checks a password even for an unknown email, and fails the same way', async () => {
    const { service, hasher, audit } = setup(null);
    const failure = service.signIn('Nobody@Clinic.test', 'pw', undefined, {
      requestId: 'r',
      ip: '10.0.0.1',
    });
    await expect(failure).rejects.toMatchObject({
      code: 'not_signed_in',
      message: 'The email or password is not right.',
    });
    expect(hasher.verify).toHaveBeenCalledWith(undefined, 'pw');
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'auth.sign_in',
        outcome: 'failure',
        detail: { email: 'nobody@clinic.test' },
      }),
    );
  });

  it('refuses an invited user who has no password yet, checking the decoy so it takes as long', async () => {
    const { service, hasher, audit, users } = setup(null);
    users.findForSignIn.mockResolvedValue(
      user({
        passwordHash: null,
        invitationTokenHash: hashToken('link'),
        invitationExpiresAt: NOW,
      }),
    );
    // Even a verifier that would say yes cannot let a user without a password in.
    hasher.verify.mockResolvedValue(true);
    await expect(
      service.signIn('a@clinic.test', '', undefined, { requestId: 'r', ip: '10.0.0.1' }),
    ).rejects.toMatchObject({ code: 'not_signed_in', message: SIGN_IN_FAILED });
    expect(hasher.verify).toHaveBeenCalledWith(undefined, '');
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'auth.sign_in', outcome: 'failure', clinicId: 'c1' }),
    );
  });

  it('refuses before checking the password when the throttle says so, and records why', async () => {
    const { service, audit, users, hasher, throttle } = setup(null);
    throttle.reserve.mockResolvedValue({ allowed: false, reason: 'pair', retryAfterSeconds: 840 });
    await expect(
      service.signIn('A@clinic.test', 'pw', undefined, { requestId: 'r', ip: '10.0.0.1' }, 'dev'),
    ).rejects.toMatchObject({ code: 'too_many_attempts', retryAfter: 840 });
    expect(throttle.reserve).toHaveBeenCalledWith('a@clinic.test', '10.0.0.1', 'dev');
    expect(users.findForSignIn).not.toHaveBeenCalled();
    expect(hasher.verify).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'auth.sign_in_throttled',
        outcome: 'denied',
        detail: { email: 'a@clinic.test', limit: 'pair' },
      }),
    );
  });
});

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(hasher.verify(hash, 'correct horse battery staple')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'Correct horse battery staple')).resolves.toBe(false);
  });

  it('answers false, not an error, for an unknown user or a damaged hash', async () => {
    await expect(hasher.verify(undefined, 'anything')).resolves.toBe(false);
    await expect(hasher.verify('not-a-phc-string', 'anything')).resolves.toBe(false);
  });
});
