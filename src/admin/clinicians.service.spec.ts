import { MfaService } from '../auth/mfa.service';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError } from '../common/domain-error';
import { hashToken } from '../common/tokens';
import { loadConfig } from '../config/app-config';
import { UserEntity } from '../users/user.entity';
import { UserRepository } from '../users/user.repository';
import { CliniciansService } from './clinicians.service';

const NOW = new Date('2026-03-01T12:00:00Z');
const SCOPE: ClinicScope = { clinicId: 'c1', userId: 'admin-1' };
const META = { requestId: 'r1', ip: '10.0.0.1' };

function user(overrides: Partial<UserEntity> = {}): UserEntity {
  return {
    id: 'u2',
    clinicId: 'c1',
    email: 'bo@clinic.test',
    displayName: 'Bo',
    role: 'clinician',
    passwordHash: '$argon2id$hash',
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

function setup(found: UserEntity | null = user()) {
  const users = {
    findById: jest.fn().mockResolvedValue(found),
    listForClinic: jest.fn().mockResolvedValue(found ? [found] : []),
    createInvited: jest.fn((_scope: ClinicScope, values: Partial<UserEntity>) =>
      Promise.resolve(user({ ...values, id: 'new-1', passwordHash: null })),
    ),
    replaceInvitation: jest.fn().mockResolvedValue(true),
    setDeactivatedAt: jest.fn().mockResolvedValue(undefined),
  };
  const sessions = { endAllFor: jest.fn().mockResolvedValue(3) };
  // The real recordByUser over a mocked record, so the events are seen whole.
  const audit = Object.assign(Object.create(AuditService.prototype) as AuditService, {
    record: jest.fn().mockResolvedValue(undefined),
  });
  const manager = {} as EntityManager;
  const dataSource = {
    transaction: jest.fn((work: (m: EntityManager) => Promise<unknown>) => work(manager)),
  };
  const service = new CliniciansService(
    loadConfig({ PUBLIC_URL: 'https://staff.example.org', INVITATION_TTL_DAYS: '3' }),
    users as unknown as UserRepository,
    sessions,
    audit,
    { now: () => NOW },
    dataSource as unknown as DataSource,
    {} as MfaService,
  );
  return { service, users, sessions, audit, manager, dataSource };
}

const failure = async (work: Promise<unknown>): Promise<DomainError> => {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('CliniciansService.invite', () => {
  const dto = { displayName: 'Ada', email: 'ada@clinic.test', role: 'admin' as const };

  it('stores only the hash of a new token, and shows the link from PUBLIC_URL once', async () => {
    const { service, users, audit, manager } = setup();
    const made = await service.invite(SCOPE, dto, META);

    const match = /^https:\/\/staff\.example\.org\/welcome\/([A-Za-z0-9_-]{43})$/.exec(made.link);
    expect(match).not.toBeNull();
    const token = match?.[1] ?? '';
    const [, values] = users.createInvited.mock.calls[0] as [ClinicScope, Record<string, unknown>];
    expect(values).toEqual({
      email: 'ada@clinic.test',
      displayName: 'Ada',
      role: 'admin',
      invitationTokenHash: hashToken(token),
      invitationExpiresAt: new Date('2026-03-04T12:00:00Z'),
    });
    expect(made.expiresAt).toBe('2026-03-04T12:00:00.000Z');
    expect(made.clinician.status).toBe('invited');
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'user.invite',
        outcome: 'success',
        actorId: 'admin-1',
        targetId: 'new-1',
        detail: { role: 'admin' },
      }),
      manager,
    );
    expect(JSON.stringify(audit.record.mock.calls)).not.toContain(token);
  });

  it('names the email field when the address is taken, and audits the failure', async () => {
    const { service, users, audit } = setup();
    users.createInvited.mockRejectedValue(
      new QueryFailedError(
        'INSERT',
        [],
        Object.assign(new Error('duplicate'), {
          code: '23505',
          constraint: 'users_email_key',
        }),
      ),
    );
    const error = await failure(service.invite(SCOPE, dto, META));
    expect(error.code).toBe('conflict');
    expect(error.fields).toEqual([{ field: 'email', message: expect.any(String) }]);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'user.invite', outcome: 'failure' }),
      undefined,
    );
  });

  it('lets any other database error through', async () => {
    const { service, users } = setup();
    users.createInvited.mockRejectedValue(new Error('connection lost'));
    await expect(service.invite(SCOPE, dto, META)).rejects.toThrow('connection lost');
  });
});

describe('CliniciansService.deactivate', () => {
  it('sets deactivated_at and ends every session in the same transaction as the audit event', async () => {
    const { service, users, sessions, audit, manager } = setup();
    await service.deactivate(SCOPE, 'u2', META);
    expect(users.setDeactivatedAt).toHaveBeenCalledWith(SCOPE, 'u2', NOW, manager);
    expect(sessions.endAllFor).toHaveBeenCalledWith(SCOPE, 'u2', manager);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'user.deactivate',
        outcome: 'success',
        detail: { sessionsEnded: 3 },
      }),
      manager,
    );
  });

  it('refuses to deactivate the admin themselves, changing nothing', async () => {
    const { service, users, dataSource, audit } = setup(user({ id: 'admin-1' }));
    const error = await failure(service.deactivate(SCOPE, 'admin-1', META));
    expect(error.message).toMatch(/cannot deactivate your own account/);
    expect(dataSource.transaction).not.toHaveBeenCalled();
    expect(users.setDeactivatedAt).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ outcome: 'denied', targetId: 'admin-1' }),
      undefined,
    );
  });

  // The refusal is recorded once, by DeniedAccessInterceptor (test/cross-clinic-routes.e2e-spec.ts).
  it("answers 404 for a user the scope does not find (another clinic's), changing nothing", async () => {
    const { service, dataSource } = setup(null);
    const error = await failure(service.deactivate(SCOPE, 'elsewhere', META));
    expect(error.code).toBe('not_found');
    expect(dataSource.transaction).not.toHaveBeenCalled();
  });
});

describe('CliniciansService.reissue', () => {
  it('gives an invited user a new link and forgets the old one', async () => {
    const { service, users, manager } = setup(
      user({ passwordHash: null, invitationTokenHash: hashToken('old') }),
    );
    const made = await service.reissue(SCOPE, 'u2', META);
    const token = made.link.split('/').pop() ?? '';
    expect(users.replaceInvitation).toHaveBeenCalledWith(
      SCOPE,
      'u2',
      { tokenHash: hashToken(token), expiresAt: new Date('2026-03-04T12:00:00Z') },
      manager,
    );
  });

  it.each([
    ['has joined', user(), /already joined/],
    ['is deactivated', user({ passwordHash: null, deactivatedAt: NOW }), /Reactivate/],
  ])('refuses a new link for a user who %s', async (_case, found, message) => {
    const { service, users } = setup(found);
    const error = await failure(service.reissue(SCOPE, 'u2', META));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(message);
    expect(users.replaceInvitation).not.toHaveBeenCalled();
  });
});
