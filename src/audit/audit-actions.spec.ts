import { AUDIT_ACTION_NAMES, AUDIT_ACTIONS, describeAction, isAuditAction } from './audit-actions';

describe('the audit actions', () => {
  it('are dotted lower-case verbs that fit the column, each with words for people', () => {
    for (const action of AUDIT_ACTION_NAMES) {
      expect(action).toMatch(/^[a-z]+\.[a-z_]+$/);
      expect(action.length).toBeLessThanOrEqual(64);
      expect(AUDIT_ACTIONS[action].length).toBeGreaterThan(5);
    }
    expect(new Set(Object.values(AUDIT_ACTIONS)).size).toBe(AUDIT_ACTION_NAMES.length);
  });

  it('keeps the actions that sign-in throttling and link throttling count', () => {
    expect(AUDIT_ACTION_NAMES).toEqual(
      expect.arrayContaining(['auth.sign_in', 'auth.sign_in_throttled', 'intake.link_open']),
    );
  });

  it('tells its own actions from anything else', () => {
    expect(isAuditAction('patient.view')).toBe(true);
    expect(isAuditAction('toString')).toBe(false);
    expect(isAuditAction('patient.VIEW')).toBe(false);
    expect(describeAction('handout.download')).toBe('Downloaded a handout');
    expect(describeAction('old.action')).toBe('old.action');
  });
});
