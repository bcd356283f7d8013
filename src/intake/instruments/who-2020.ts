import { assertIntegerInRange, Incomplete } from './input-checks';

/**
 * Weekly activity for comparison with the WHO 2020 adult targets. Every key is
 * required (its value may be undefined) so a field left unwired fails to compile.
 */
export interface Who2020Answers {
  readonly moderateMinutesPerWeek: number | undefined;
  readonly vigorousMinutesPerWeek: number | undefined;
  readonly strengthDaysPerWeek: number | undefined;
}

/**
 * 'unknown' is distinct from 'below' on purpose: a patient who skipped the
 * question must not be told they fall short of the guideline.
 */
export type Who2020Aerobic = 'below' | 'met' | 'upper' | 'unknown';
export type Who2020Strength = 'below' | 'met' | 'unknown';

export interface Who2020Scored {
  readonly status: 'scored';
  /** Moderate minutes + 2 × vigorous minutes; undefined when aerobic is 'unknown'. */
  readonly aerobicEquivalentMinutes: number | undefined;
  /**
   * 'met' is 150-300 equivalent minutes, the guideline's range; 'upper' is
   * more than 300, where WHO 2020 sees additional benefit ("more than 300
   * minutes"): exactly 300 is still within the range.
   */
  readonly aerobic: Who2020Aerobic;
  readonly strength: Who2020Strength;
}

export type Who2020Result = Who2020Scored | Incomplete;

const INPUTS: readonly (keyof Who2020Answers)[] = [
  'moderateMinutesPerWeek',
  'vigorousMinutesPerWeek',
  'strengthDaysPerWeek',
];
const MINUTES_PER_WEEK = 7 * 24 * 60;
const AEROBIC_TARGET = 150;
const AEROBIC_UPPER = 300;
const STRENGTH_DAYS = 2;

/**
 * Compares weekly activity with the WHO 2020 guidelines for adults: 150-300
 * minutes of moderate or 75-150 of vigorous activity (a vigorous minute counts
 * as two moderate ones), and muscle strengthening on 2 or more days. The aerobic
 * and strength parts are judged separately so that one blank answer does not
 * hide what the other part shows; the result is incomplete only when neither
 * part can be judged.
 */
export function scoreWho2020(answers: Who2020Answers): Who2020Result {
  const { moderateMinutesPerWeek, vigorousMinutesPerWeek, strengthDaysPerWeek } = answers;
  assertIntegerInRange('moderateMinutesPerWeek', moderateMinutesPerWeek, 0, MINUTES_PER_WEEK);
  assertIntegerInRange('vigorousMinutesPerWeek', vigorousMinutesPerWeek, 0, MINUTES_PER_WEEK);
  assertIntegerInRange('strengthDaysPerWeek', strengthDaysPerWeek, 0, 7);

  const missing = INPUTS.filter((name) => answers[name] === undefined);

  // Both aerobic answers are needed: a high moderate figure alone cannot say
  // whether vigorous minutes would lift the total into 'upper'.
  const aerobicEquivalentMinutes =
    moderateMinutesPerWeek === undefined || vigorousMinutesPerWeek === undefined
      ? undefined
      : moderateMinutesPerWeek + 2 * vigorousMinutesPerWeek;
  const aerobic = aerobicLevel(aerobicEquivalentMinutes);
  const strength: Who2020Strength =
    strengthDaysPerWeek === undefined
      ? 'unknown'
      : strengthDaysPerWeek >= STRENGTH_DAYS
        ? 'met'
        : 'below';

  if (aerobic === 'unknown' && strength === 'unknown') return { status: 'incomplete', missing };
  return { status: 'scored', aerobicEquivalentMinutes, aerobic, strength };
}

function aerobicLevel(equivalentMinutes: number | undefined): Who2020Aerobic {
  if (equivalentMinutes === undefined) return 'unknown';
  if (equivalentMinutes < AEROBIC_TARGET) return 'below';
  if (equivalentMinutes <= AEROBIC_UPPER) return 'met';
  return 'upper';
}

/**
 * Turns "days a week" and "minutes on those days" into minutes a week. WHO 2020
 * dropped the 10-minute bout rule, so short sessions count in full here (unlike
 * IPAQ scoring). No days means no minutes even when the minutes question was
 * skipped; otherwise a blank in either answer leaves the total unknown.
 */
export function weeklyMinutes(
  days: number | undefined,
  minutesPerDay: number | undefined,
): number | undefined {
  assertIntegerInRange('days', days, 0, 7);
  assertIntegerInRange('minutesPerDay', minutesPerDay, 0, 24 * 60);
  if (days === 0) return 0;
  if (days === undefined || minutesPerDay === undefined) return undefined;
  return days * minutesPerDay;
}
