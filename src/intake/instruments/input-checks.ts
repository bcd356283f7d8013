/**
 * What a scorer returns when a required answer is blank. Naming the blanks lets
 * the intake screen send the patient back to exactly those questions, instead of
 * quietly scoring a blank as 0 or "no" and producing a falsely reassuring score.
 */
export interface Incomplete {
  readonly status: 'incomplete';
  readonly missing: readonly string[];
}

/**
 * Throws a RangeError naming the input unless `value` is an integer from `min`
 * to `max`. The server validates answers before scoring, so getting here means
 * a bug upstream; failing loudly keeps an impossible number out of a clinical
 * score. A blank answer (undefined) passes: deciding what a blank means is each
 * scorer's job.
 */
export function assertIntegerInRange(
  name: string,
  value: number | undefined,
  min: number,
  max: number,
): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max} (got ${String(value)})`);
  }
}
