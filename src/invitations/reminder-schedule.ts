import { DeliveryKind, DeliveryStop } from '../mail/delivery.entity';

/** At most this many reminders per emailed link. */
export const MAX_REMINDERS = 3;

/**
 * Waits before the second, third and fourth try of an email that failed:
 * long enough for a mail server that was down to come back, short enough
 * that a reminder still reaches the patient on its day.
 */
export const RETRY_DELAYS_MS: readonly number[] = [5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** Tries of one email before it is shown as failed. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

const DAY_MS = 86_400_000;

/**
 * The reminders of a link emailed at `emailedAt`, one per day of the
 * clinic's schedule that falls before the link expires (a reminder of a
 * link that no longer works would only confuse).
 */
export function reminderDueDates(
  emailedAt: Date,
  days: readonly number[],
  linkExpiresAt: Date,
): { sequence: number; dueAt: Date }[] {
  return [...new Set(days)]
    .sort((a, b) => a - b)
    .slice(0, MAX_REMINDERS)
    .map((day) => new Date(emailedAt.getTime() + day * DAY_MS))
    .filter((dueAt) => dueAt.getTime() < linkExpiresAt.getTime())
    .map((dueAt, i) => ({ sequence: i + 1, dueAt }));
}

/** When to try again after `attempts` failed tries; null: give up (the email failed). */
export function nextAttemptAfter(attempts: number, now: Date): Date | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay);
}

/** What decides, at the moment of sending, whether an email about a link still goes. */
export interface LinkFacts {
  readonly revokedAt: Date | null;
  /** The link's expiry now: a re-issue moves it, so it tells the issue apart. */
  readonly expiresAt: Date;
  readonly remindersStoppedAt: Date | null;
  readonly patientArchivedAt: Date | null;
  readonly patientEmail: string | null;
  /** The status of the intake the link opened, if it has been opened. */
  readonly intakeStatus: 'in_progress' | 'submitted' | 'reviewed' | null;
  /** A later reminder of the same email is due too (the service was down, or email off). */
  readonly laterReminderDue: boolean;
}

/**
 * Why an email about a link must not go now, or null when it may: the
 * intake was sent, the link was revoked, re-issued (the email is of the old
 * one) or has expired, the patient was archived, has no address any more, or
 * (reminders only) asked for no more reminders. Checked under the rows'
 * locks just before each try, so whichever of these happens first wins.
 */
export function stopReason(
  kind: DeliveryKind,
  linkExpiresAt: Date,
  facts: LinkFacts,
  now: Date,
): DeliveryStop | null {
  if (facts.intakeStatus && facts.intakeStatus !== 'in_progress') return 'submitted';
  if (facts.patientArchivedAt) return 'archived';
  if (facts.revokedAt) return 'revoked';
  if (facts.expiresAt.getTime() !== linkExpiresAt.getTime()) return 'reissued';
  if (facts.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (kind === 'reminder' && facts.remindersStoppedAt) return 'opted_out';
  if (kind === 'reminder' && facts.laterReminderDue) return 'superseded';
  if (!facts.patientEmail) return 'no_address';
  return null;
}

/** The clinic's schedule as the settings form shows it: "3, 7". */
export function formatReminderDays(days: readonly number[]): string {
  return days.join(', ');
}

/**
 * The schedule as typed: whole days after the email, separated by commas or
 * spaces, at most three, each before the link expires; blank for none.
 * Returns the days ascending, or what is wrong in words.
 */
export function parseReminderDays(
  typed: string,
  linkDays: number,
): { days: number[] } | { problem: string } {
  const parts = typed
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.some((part) => !/^\d{1,3}$/.test(part))) {
    return { problem: 'Give whole days after the email, such as 3, 7; or leave it blank.' };
  }
  const days = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  if (days.length > MAX_REMINDERS) {
    return { problem: `Give at most ${MAX_REMINDERS} days.` };
  }
  const late = days.find((day) => day < 1 || day >= linkDays);
  if (late !== undefined) {
    return {
      problem: `Links work for ${linkDays} days: give days from 1 to ${linkDays - 1} (${late} is not).`,
    };
  }
  return { days };
}
