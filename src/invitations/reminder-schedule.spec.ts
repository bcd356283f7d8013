import {
  MAX_ATTEMPTS,
  nextAttemptAfter,
  LinkFacts,
  parseReminderDays,
  reminderDueDates,
  stopReason,
} from './reminder-schedule';

const at = (iso: string) => new Date(iso);

describe('reminderDueDates', () => {
  const emailed = at('2026-12-01T09:00:00Z');
  const expires = at('2026-12-15T09:00:00Z');

  it('numbers one reminder per day of the schedule, in order', () => {
    expect(reminderDueDates(emailed, [7, 3], expires)).toEqual([
      { sequence: 1, dueAt: at('2026-12-04T09:00:00Z') },
      { sequence: 2, dueAt: at('2026-12-08T09:00:00Z') },
    ]);
  });

  it('leaves out days on or after the expiry, and repeats', () => {
    expect(reminderDueDates(emailed, [3, 3, 14, 20], expires)).toEqual([
      { sequence: 1, dueAt: at('2026-12-04T09:00:00Z') },
    ]);
  });

  it('makes at most three, and none for an empty schedule', () => {
    expect(reminderDueDates(emailed, [1, 2, 3, 4], expires)).toHaveLength(3);
    expect(reminderDueDates(emailed, [], expires)).toEqual([]);
  });
});

describe('nextAttemptAfter', () => {
  const now = at('2026-12-01T09:00:00Z');

  it('waits longer after each failure, then gives up', () => {
    expect(nextAttemptAfter(1, now)).toEqual(at('2026-12-01T09:05:00Z'));
    expect(nextAttemptAfter(2, now)).toEqual(at('2026-12-01T09:30:00Z'));
    expect(nextAttemptAfter(3, now)).toEqual(at('2026-12-01T11:00:00Z'));
    expect(nextAttemptAfter(MAX_ATTEMPTS, now)).toBeNull();
  });
});

describe('stopReason', () => {
  const now = at('2026-12-05T09:00:00Z');
  const expires = at('2026-12-15T09:00:00Z');
  const live: LinkFacts = {
    revokedAt: null,
    expiresAt: expires,
    remindersStoppedAt: null,
    patientArchivedAt: null,
    patientEmail: 'pat@example.org',
    intakeStatus: 'in_progress',
    laterReminderDue: false,
  };

  it('lets an email about a live link go', () => {
    expect(stopReason('reminder', expires, live, now)).toBeNull();
    expect(stopReason('reminder', expires, { ...live, intakeStatus: null }, now)).toBeNull();
  });

  it.each<[Partial<LinkFacts>, string]>([
    [{ intakeStatus: 'submitted' }, 'submitted'],
    [{ intakeStatus: 'reviewed' }, 'submitted'],
    [{ patientArchivedAt: now }, 'archived'],
    [{ revokedAt: now }, 'revoked'],
    [{ expiresAt: at('2026-12-20T09:00:00Z') }, 'reissued'],
    [{ remindersStoppedAt: now }, 'opted_out'],
    [{ patientEmail: null }, 'no_address'],
    [{ laterReminderDue: true }, 'superseded'],
  ])('stops a reminder when %j', (change, reason) => {
    expect(stopReason('reminder', expires, { ...live, ...change }, now)).toBe(reason);
  });

  it('stops at the expiry', () => {
    expect(stopReason('reminder', expires, live, expires)).toBe('expired');
  });

  it('sends the invitation email itself to a patient who stopped reminders', () => {
    expect(stopReason('invitation', expires, { ...live, remindersStoppedAt: now }, now)).toBeNull();
  });
});

describe('parseReminderDays', () => {
  it.each([
    ['3, 7', [3, 7]],
    ['7 3', [3, 7]],
    ['2;2; 5', [2, 5]],
    ['', []],
    ['   ', []],
  ])('reads %j', (typed, days) => {
    expect(parseReminderDays(typed, 14)).toEqual({ days });
  });

  it.each([
    ['3, seven', 'whole days'],
    ['1.5', 'whole days'],
    ['-1', 'whole days'],
    ['1, 2, 3, 4', 'at most 3'],
    ['0', 'from 1 to 13 (0 is not)'],
    ['3, 14', 'from 1 to 13 (14 is not)'],
  ])('refuses %j', (typed, problem) => {
    const parsed = parseReminderDays(typed, 14);
    expect('problem' in parsed && parsed.problem).toContain(problem);
  });
});
