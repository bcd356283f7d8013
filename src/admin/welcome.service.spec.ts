import { DataSource, EntityManager } from 'typeorm';
import { PasswordHasher } from '../auth/password-hasher';
import { PasswordPolicy } from '../auth/password-policy';
import { DomainError } from '../common/domain-error';
import { AuditService } from '../audit/audit.service';
import { hashToken } from '../common/tokens';
import { UserEntity } from '../users/user.entity';
import { UserRepository } from '../users/user.repository';
import { WelcomeService } from './welcome.service';

const NOW = new Date('2026-03-01T12:00:00Z');
const TOKEN = 'A'.repeat(43);
const META = { requestId: 'r1', ip: '10.0.0.1' };
/** The real policy, built once: its dictionaries take a moment to load. */
const policy = new PasswordPolicy();

function invited(overrides: Partial<UserEntity> = {}): UserEntity {
  return {
    id: 'u1',
    clinicId: 'c1',
    email: 'ada@clinic.test',
    displayName: 'Ada',
    role: 'clinician',
    passwordHash: null,
    invitationTokenHash: hashToken(TOKEN),
    invitationExpiresAt: new Date(NOW.getTime() + 60_000),
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

function setup(found: UserEntity | null, completes = true) {
  const users = {
    findByInvitationTokenHash: jest.fn().mockResolvedValue(found),
    completeJoining: jest.fn().mockResolvedValue(completes),
  };
  const hasher = { hash: jest.fn().mockResolvedValue('$argon2id$v=19$hash') };
  const audit = { record: jest.fn().mockResolvedValue(undefined) };
  const manager = {} as EntityManager;
  const dataSource = {
    transaction: jest.fn((work: (m: EntityManager) => Promise<unknown>) => work(manager)),
  };
  const service = new WelcomeService(
    users as unknown as UserRepository,
    hasher as unknown as PasswordHasher,
    audit as unknown as AuditService,
    { now: () => NOW },
    dataSource as unknown as DataSource,
    policy,
  );
  return { service, users, hasher, audit, manager };
}

describe('WelcomeService', () => {
  it("opens a live link with its user's name, looking it up by the token's hash only", async () => {
    const { service, users } = setup(invited());
    await expect(service.open(TOKEN)).resolves.toEqual({
      ok: true,
      displayName: 'Ada',
      email: 'ada@clinic.test',
    });
    expect(users.findByInvitationTokenHash).toHaveBeenCalledWith(hashToken(TOKEN));
  });

  it.each([
    ['unknown', null, 'unknown'],
    ['expired', invited({ invitationExpiresAt: NOW }), 'expired'],
    ['for a deactivated user', invited({ deactivatedAt: NOW }), 'deactivated'],
  ] as const)('refuses a link that is %s', async (_case, user, problem) => {
    const { service } = setup(user);
    await expect(service.open(TOKEN)).resolves.toEqual({ ok: false, problem });
  });

  it('does not look up a token that cannot be one', async () => {
    const { service, users } = setup(invited());
    await expect(service.open('short')).resolves.toEqual({ ok: false, problem: 'unknown' });
    expect(users.findByInvitationTokenHash).not.toHaveBeenCalled();
  });

  it('sets the argon2 hash and consumes the link in one transaction with its audit event', async () => {
    const { service, users, hasher, audit, manager } = setup(invited());
    await expect(service.join(TOKEN, 'a long passphrase', META)).resolves.toMatchObject({
      ok: true,
    });
    expect(hasher.hash).toHaveBeenCalledWith('a long passphrase');
    expect(users.completeJoining).toHaveBeenCalledWith(
      'u1',
      hashToken(TOKEN),
      '$argon2id$v=19$hash',
      NOW,
      manager,
    );
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'user.join', outcome: 'success', actorId: 'u1' }),
      manager,
    );
    expect(JSON.stringify(audit.record.mock.calls)).not.toMatch(/passphrase|AAAA/);
  });

  it.each(['aaaaaaaaaaaa', 'password1234', 'ada@clinic.test'])(
    'refuses %s on the password field, hashing and saving nothing, auditing nothing',
    async (password) => {
      const { service, users, hasher, audit } = setup(invited());
      const refused = await service.join(TOKEN, password, META).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).fields).toEqual([
        { field: 'password', message: expect.stringContaining('too easy to guess') },
      ]);
      expect(hasher.hash).not.toHaveBeenCalled();
      expect(users.completeJoining).not.toHaveBeenCalled();
      expect(audit.record).not.toHaveBeenCalled();
    },
  );

  it('judges the password only for a link that works', async () => {
    const { service } = setup(invited({ invitationExpiresAt: NOW }));
    await expect(service.join(TOKEN, 'aaaaaaaaaaaa', META)).resolves.toEqual({
      ok: false,
      problem: 'expired',
    });
  });

  it('answers "unknown" when another submission consumed the link first', async () => {
    const { service, audit } = setup(invited(), false);
    await expect(service.join(TOKEN, 'a long passphrase', META)).resolves.toEqual({
      ok: false,
      problem: 'unknown',
    });
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'user.join', outcome: 'failure', targetId: 'u1' }),
    );
  });

  it('hashes nothing and saves nothing for an expired link, and audits the failure', async () => {
    const { service, users, hasher, audit } = setup(invited({ invitationExpiresAt: NOW }));
    await expect(service.join(TOKEN, 'a long passphrase', META)).resolves.toEqual({
      ok: false,
      problem: 'expired',
    });
    expect(hasher.hash).not.toHaveBeenCalled();
    expect(users.completeJoining).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        clinicId: 'c1',
        outcome: 'failure',
        detail: { reason: 'expired' },
      }),
    );
  });
});
