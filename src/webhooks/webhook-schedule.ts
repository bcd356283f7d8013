const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Waits before the second and later tries of a delivery that failed. Short
 * first (a receiver restarting), then long, reaching past a day, so one
 * event alone is enough for the FAILING_FOR rule to decide about an
 * endpoint that is down for good. Eight tries over about 45 hours.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  1 * MINUTE,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
];

/**
 * Each wait is lengthened by up to this share, at random, so the retries
 * of many deliveries that failed together (a receiver's outage) do not all
 * come back at the same moment.
 */
const JITTER = 0.1;

/** An endpoint none of whose tries has succeeded for this long is turned off. */
export const FAILING_FOR_MS = 24 * HOUR;

/**
 * When to try a delivery again after `attempts` failed tries, or null: give
 * up (it failed). `random`, in [0, 1), places it within the jitter.
 */
export function nextAttemptAfter(attempts: number, now: Date, random = Math.random()): Date | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  if (delay === undefined) return null;
  return new Date(now.getTime() + Math.round(delay * (1 + JITTER * random)));
}

/**
 * Why an endpoint must be turned off after a failed try, or null while it
 * may keep trying: it answered 410 Gone (Standard Webhooks: the receiver
 * wants no more), or no try has succeeded since `failingSince`, a day or
 * more ago. A success in between clears `failingSince`, so an endpoint that
 * fails one event (a 400 for one payload) but takes others stays on.
 */
export function turnOffReason(
  failingSince: Date,
  now: Date,
  httpStatus: number | null,
): 'gone' | 'failing' | null {
  if (httpStatus === 410) return 'gone';
  return now.getTime() - failingSince.getTime() >= FAILING_FOR_MS ? 'failing' : null;
}
