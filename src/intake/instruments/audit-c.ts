import { assertIntegerInRange, Incomplete } from './input-checks';

/** Self-reported sex from the intake's context section; it only picks the cut-off. */
export type AuditCSex = 'male' | 'female' | 'other';

/**
 * The three AUDIT-C answers, each 0-4, plus sex. Every key is required (though
 * its value may be undefined) so that forgetting to wire a field is a compile
 * error rather than a form that is silently incomplete forever.
 */
export interface AuditCAnswers {
  /** How often a drink containing alcohol; 0 means never. */
  readonly frequency: number | undefined;
  /** Drinks on a typical drinking day. */
  readonly typicalDrinks: number | undefined;
  /** How often six or more drinks on one occasion. */
  readonly sixOrMore: number | undefined;
  readonly sex: AuditCSex | undefined;
}

export type AuditCThresholdBasis = 'male' | 'female' | 'unspecified-used-lower';

export interface AuditCScored {
  readonly status: 'scored';
  /** 0-12. */
  readonly total: number;
  /** True when total reaches the threshold: worth a conversation, not a diagnosis. */
  readonly positive: boolean;
  readonly threshold: number;
  /** Says which cut-off was applied, so a reader knows when the lower one was a fallback. */
  readonly thresholdBasis: AuditCThresholdBasis;
}

export type AuditCResult = AuditCScored | Incomplete;

const ITEMS = ['frequency', 'typicalDrinks', 'sixOrMore'] as const;
const SEXES: readonly (AuditCSex | undefined)[] = ['male', 'female', 'other', undefined];

/**
 * Cut-offs of the US / VA validation: 4 or more for men, 3 or more for women.
 * When sex is 'other' or not given there is no validated cut-off, so the lower
 * (more sensitive) one is used: missing a risky drinker costs more than an
 * extra conversation.
 */
const THRESHOLDS: Record<AuditCThresholdBasis, number> = {
  male: 4,
  female: 3,
  'unspecified-used-lower': 3,
};

/**
 * Scores AUDIT-C. The form skips the two quantity questions for someone who
 * never drinks, so when `frequency` is 0 (and only then) those blanks count as
 * 0. Any other blank makes the result incomplete: a blank from a drinker says
 * nothing about how much they drink.
 */
export function scoreAuditC(answers: AuditCAnswers): AuditCResult {
  for (const name of ITEMS) assertIntegerInRange(name, answers[name], 0, 4);
  if (!SEXES.includes(answers.sex)) {
    throw new RangeError(`sex must be male, female, other or blank (got ${String(answers.sex)})`);
  }

  const neverDrinks = answers.frequency === 0;
  const skippedForNonDrinker = (name: (typeof ITEMS)[number]): boolean =>
    neverDrinks && name !== 'frequency';
  const missing = ITEMS.filter(
    (name) => answers[name] === undefined && !skippedForNonDrinker(name),
  );
  if (missing.length > 0) return { status: 'incomplete', missing };

  let total = 0;
  for (const name of ITEMS) {
    const answer = answers[name];
    // Only a non-drinker's skipped questions can still be blank here; they count as 0.
    if (answer !== undefined) total += answer;
  }

  const thresholdBasis: AuditCThresholdBasis =
    answers.sex === 'male' || answers.sex === 'female' ? answers.sex : 'unspecified-used-lower';
  const threshold = THRESHOLDS[thresholdBasis];
  return { status: 'scored', total, positive: total >= threshold, threshold, thresholdBasis };
}
