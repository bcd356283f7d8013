import {
  FAILING_FOR_MS,
  nextAttemptAfter,
  RETRY_DELAYS_MS,
  turnOffReason,
} from './webhook-schedule';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const start = new Date('2026-03-01T08:00:00Z');
const later = (ms: number) => new Date(start.getTime() + ms);

describe('retries of a webhook delivery', () => {
  it('waits 1 min, 5 min, 30 min, 2 h, 6 h, 12 h and 24 h, then gives up', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map(
      (attempts) => nextAttemptAfter(attempts, start, 0)!.getTime() - start.getTime(),
    );
    expect(waits).toEqual([
      MINUTE,
      5 * MINUTE,
      30 * MINUTE,
      2 * HOUR,
      6 * HOUR,
      12 * HOUR,
      24 * HOUR,
    ]);
    expect(nextAttemptAfter(8, start, 0)).toBeNull();
  });

  it('lengthens each wait by up to a tenth, at random, never shortens it', () => {
    const longest = nextAttemptAfter(4, start, 0.999_999)!.getTime() - start.getTime();
    expect(longest).toBeGreaterThan(2 * HOUR);
    expect(longest).toBeLessThanOrEqual(2.2 * HOUR);
    const some = nextAttemptAfter(1, start)!.getTime() - start.getTime();
    expect(some).toBeGreaterThanOrEqual(MINUTE);
    expect(some).toBeLessThanOrEqual(1.1 * MINUTE);
  });

  it('tries one event after a day has passed, so one event is enough to judge an endpoint', () => {
    const lastTry = RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0);
    expect(lastTry).toBeGreaterThan(FAILING_FOR_MS);
  });
});

describe('turning a failing endpoint off', () => {
  it('waits a whole day of failures', () => {
    expect(turnOffReason(start, later(FAILING_FOR_MS - 1), 500)).toBeNull();
    expect(turnOffReason(start, later(FAILING_FOR_MS), 500)).toBe('failing');
    expect(turnOffReason(start, later(45 * HOUR), null)).toBe('failing');
  });

  it('stops at once for 410 Gone', () => {
    expect(turnOffReason(start, start, 410)).toBe('gone');
  });
});
