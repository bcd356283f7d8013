import { judgeServiceRole, ServiceRolePowers } from './database-roles';

const MEMBER: ServiceRolePowers = {
  user: 'clinic_service',
  superuser: false,
  canWork: true,
  canRewriteAudit: false,
  canCreate: false,
};

describe('judgeServiceRole', () => {
  it('lets a member of hormone_app start, with nothing to say', () => {
    expect(judgeServiceRole(MEMBER, true)).toEqual({});
    expect(judgeServiceRole(MEMBER, false)).toEqual({});
  });

  it('refuses a role without the grants, anywhere, naming the GRANT to run', () => {
    const verdict = judgeServiceRole({ ...MEMBER, canWork: false }, false);
    expect(verdict.refuse).toContain('GRANT hormone_app TO "clinic_service";');
    expect(verdict.warn).toBeUndefined();
  });

  it('refuses in production a role that could rewrite the audit trail or the schema', () => {
    for (const powers of [
      { ...MEMBER, canRewriteAudit: true, canCreate: true },
      { ...MEMBER, superuser: true, canRewriteAudit: true, canCreate: true },
      { ...MEMBER, canCreate: true },
    ]) {
      const verdict = judgeServiceRole(powers, true);
      expect(verdict.refuse).toMatch(
        /^the database role "clinic_service" that the service connects as /,
      );
      expect(verdict.refuse).toContain('DATABASE_OWNER_USER');
    }
    expect(judgeServiceRole({ ...MEMBER, superuser: true }, true).refuse).toContain(
      'is a superuser.',
    );
    expect(
      judgeServiceRole({ ...MEMBER, canRewriteAudit: true, canCreate: true }, true).refuse,
    ).toContain('can change or delete audit events and can create objects in the schema.');
  });

  it('only warns outside production, where one role for everything is a convenience', () => {
    const verdict = judgeServiceRole({ ...MEMBER, canRewriteAudit: true }, false);
    expect(verdict.refuse).toBeUndefined();
    expect(verdict.warn).toContain('can change or delete audit events');
  });
});
