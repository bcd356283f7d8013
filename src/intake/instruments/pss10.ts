import { assertIntegerInRange, Incomplete } from './input-checks';

/**
 * 1-based positions of the positively worded PSS-10 items ("felt confident",
 * "things going your way", ...). Agreeing with them means *less* stress, so
 * they count as 4 minus the answer; the list is returned with every score so a
 * reader of the result can see which answers were flipped.
 */
export const PSS10_REVERSED_ITEMS: readonly number[] = [4, 5, 7, 8];

const ITEM_COUNT = 10;
const MAX_ANSWER = 4;

export type Pss10Band = 'low' | 'moderate' | 'high';

export interface Pss10Scored {
  readonly status: 'scored';
  /** 0-40; higher means more perceived stress over the last month. */
  readonly total: number;
  readonly band: Pss10Band;
  readonly reversedItems: readonly number[];
}

export type Pss10Result = Pss10Scored | Incomplete;

/**
 * Scores the 10-item Perceived Stress Scale. Every item must be answered: the
 * total is a sum, and one blank would understate stress by up to 4 points, so a
 * blank makes the result incomplete (naming `item1` … `item10`) rather than
 * guessing. A list of the wrong length is a wiring bug, not a patient's blank,
 * and throws.
 */
export function scorePss10(items: readonly (number | undefined)[]): Pss10Result {
  if (items.length !== ITEM_COUNT) {
    throw new RangeError(`items must hold exactly ${ITEM_COUNT} answers (got ${items.length})`);
  }
  const missing: string[] = [];
  let total = 0;
  // An index loop, not forEach: a sparse array's holes are blanks too.
  for (let index = 0; index < ITEM_COUNT; index++) {
    const position = index + 1;
    const name = `item${position}`;
    const answer = items[index];
    assertIntegerInRange(name, answer, 0, MAX_ANSWER);
    if (answer === undefined) {
      missing.push(name);
      continue;
    }
    total += PSS10_REVERSED_ITEMS.includes(position) ? MAX_ANSWER - answer : answer;
  }
  if (missing.length > 0) return { status: 'incomplete', missing };
  return {
    status: 'scored',
    total,
    band: pss10Band(total),
    reversedItems: [...PSS10_REVERSED_ITEMS],
  };
}

/**
 * Cut-offs in common use (0-13 low, 14-26 moderate, 27-40 high). The scale's
 * authors published no official bands, so these are a reading aid for the
 * clinician, not a diagnosis; they live in one place so they are easy to change.
 */
export function pss10Band(total: number): Pss10Band {
  if (total <= 13) return 'low';
  if (total <= 26) return 'moderate';
  return 'high';
}
