import { assertIntegerInRange, Incomplete } from './input-checks';

/**
 * Answers to the IPAQ short form (last 7 days). Days are 0-7; minutes are the
 * usual minutes per day on the days the activity was done, 0-1440. Every key is
 * required (its value may be undefined) so a field left unwired fails to compile.
 */
export interface IpaqShortAnswers {
  readonly vigorousDays: number | undefined;
  readonly vigorousMinutesPerDay: number | undefined;
  readonly moderateDays: number | undefined;
  readonly moderateMinutesPerDay: number | undefined;
  readonly walkingDays: number | undefined;
  readonly walkingMinutesPerDay: number | undefined;
  /** Reported alongside the score; sitting is not part of any MET value. */
  readonly sittingMinutesPerDay: number | undefined;
}

export type IpaqActivity = 'walking' | 'moderate' | 'vigorous';
export type IpaqCategory = 'low' | 'moderate' | 'high';

export interface IpaqMetMinutes {
  readonly walking: number;
  readonly moderate: number;
  readonly vigorous: number;
  readonly total: number;
}

export interface IpaqShortScored {
  readonly status: 'scored';
  /** MET-minutes per week, rounded to 1 decimal. */
  readonly metMinutesPerWeek: IpaqMetMinutes;
  readonly category: IpaqCategory;
  /** Activities whose minutes per day were capped at 180, so the reader knows the score is trimmed. */
  readonly truncated: readonly IpaqActivity[];
  readonly sittingMinutesPerDay: number | undefined;
}

/**
 * More than 16 hours of activity a day is not believable, and the IPAQ rules
 * drop such a case from analysis rather than score it.
 */
export interface IpaqShortExcluded {
  readonly status: 'excluded';
  readonly reason: 'more than 16 hours of activity a day';
}

export type IpaqShortResult = IpaqShortScored | IpaqShortExcluded | Incomplete;

const ACTIVITIES: readonly IpaqActivity[] = ['walking', 'moderate', 'vigorous'];

const FIELDS: Record<
  IpaqActivity,
  { readonly days: keyof IpaqShortAnswers; readonly minutes: keyof IpaqShortAnswers }
> = {
  walking: { days: 'walkingDays', minutes: 'walkingMinutesPerDay' },
  moderate: { days: 'moderateDays', minutes: 'moderateMinutesPerDay' },
  vigorous: { days: 'vigorousDays', minutes: 'vigorousMinutesPerDay' },
};

/**
 * MET values of the IPAQ rules (3.3, 4.0, 8.0) kept in tenths, so MET-minutes
 * are exact integers until the final division and a threshold such as 1500 is
 * never missed by a floating-point hair.
 */
const MET_TENTHS: Record<IpaqActivity, number> = { walking: 33, moderate: 40, vigorous: 80 };

const MIN_BOUT_MINUTES = 10;
const MAX_ACTIVITY_MINUTES_PER_DAY = 16 * 60;
const TRUNCATE_AT_MINUTES = 180;

interface Activity {
  readonly days: number;
  readonly minutesPerDay: number;
}

/**
 * Scores the IPAQ short form following the IPAQ data-processing rules (2005
 * revision), step by step and in their order: blanks, the 16-hour exclusion
 * (rule 7.2), the 10-minute bout rule (7.3), the 180-minute cap (7.4),
 * MET-minutes, then the category. Order matters: the exclusion judges the
 * minutes as reported, short bouts included ("the sum total of all walking,
 * moderate and vigorous time variables"); the category the minutes after the
 * bout rule and the cap.
 */
export function scoreIpaqShort(answers: IpaqShortAnswers): IpaqShortResult {
  for (const activity of ACTIVITIES) {
    const { days, minutes } = FIELDS[activity];
    assertIntegerInRange(days, answers[days], 0, 7);
    assertIntegerInRange(minutes, answers[minutes], 0, 1440);
  }
  assertIntegerInRange('sittingMinutesPerDay', answers.sittingMinutesPerDay, 0, 1440);

  // Step 1: blanks. No days means the minutes question did not apply.
  // When days is blank only days is listed: the minutes question hangs on it.
  const missing: string[] = [];
  const reported: Partial<Record<IpaqActivity, Activity>> = {};
  for (const activity of ACTIVITIES) {
    const { days: daysField, minutes: minutesField } = FIELDS[activity];
    const days = answers[daysField];
    const minutes = answers[minutesField];
    if (days === undefined) missing.push(daysField);
    else if (days === 0) reported[activity] = { days: 0, minutesPerDay: 0 };
    else if (minutes === undefined) missing.push(minutesField);
    else reported[activity] = { days, minutesPerDay: minutes };
  }
  if (missing.length > 0) return { status: 'incomplete', missing };
  const complete = reported as Record<IpaqActivity, Activity>;

  // Step 2: exclude implausible totals, judged on the minutes as reported.
  const minutesPerDay = ACTIVITIES.reduce((sum, a) => sum + complete[a].minutesPerDay, 0);
  if (minutesPerDay > MAX_ACTIVITY_MINUTES_PER_DAY) {
    return { status: 'excluded', reason: 'more than 16 hours of activity a day' };
  }

  // Step 3: bouts under 10 minutes do not count, neither the minutes nor the days.
  const counted = mapActivities((activity) => {
    const { days, minutesPerDay } = complete[activity];
    return minutesPerDay < MIN_BOUT_MINUTES
      ? { days: 0, minutesPerDay: 0 }
      : { days, minutesPerDay };
  });

  // Step 4: cap each activity at 180 minutes a day.
  const truncated = ACTIVITIES.filter((a) => counted[a].minutesPerDay > TRUNCATE_AT_MINUTES);
  const capped = mapActivities((activity) => ({
    days: counted[activity].days,
    minutesPerDay: Math.min(counted[activity].minutesPerDay, TRUNCATE_AT_MINUTES),
  }));

  // Step 5: MET-minutes per week, in exact tenths.
  const tenths = mapActivities(
    (activity) => MET_TENTHS[activity] * capped[activity].minutesPerDay * capped[activity].days,
  );
  const totalTenths = tenths.walking + tenths.moderate + tenths.vigorous;

  return {
    status: 'scored',
    metMinutesPerWeek: {
      walking: tenths.walking / 10,
      moderate: tenths.moderate / 10,
      vigorous: tenths.vigorous / 10,
      total: totalTenths / 10,
    },
    category: categorise(capped, totalTenths),
    truncated,
    sittingMinutesPerDay: answers.sittingMinutesPerDay,
  };
}

/** Step 6: the IPAQ categories, checked from the top down. */
function categorise(activities: Record<IpaqActivity, Activity>, totalTenths: number): IpaqCategory {
  const { walking, moderate, vigorous } = activities;
  const activeDays = walking.days + moderate.days + vigorous.days;

  const highByVigorous = vigorous.days >= 3 && totalTenths >= 1500 * 10;
  const highByAnyMix = activeDays >= 7 && totalTenths >= 3000 * 10;
  if (highByVigorous || highByAnyMix) return 'high';

  const moderateByVigorous = vigorous.days >= 3 && vigorous.minutesPerDay >= 20;
  // Moderate and walking days count only when that activity lasted 30 minutes or more.
  const daysOfThirtyMinutes =
    (moderate.minutesPerDay >= 30 ? moderate.days : 0) +
    (walking.minutesPerDay >= 30 ? walking.days : 0);
  const moderateByThirtyMinuteDays = daysOfThirtyMinutes >= 5;
  const moderateByAnyMix = activeDays >= 5 && totalTenths >= 600 * 10;
  if (moderateByVigorous || moderateByThirtyMinuteDays || moderateByAnyMix) return 'moderate';

  return 'low';
}

function mapActivities<T>(map: (activity: IpaqActivity) => T): Record<IpaqActivity, T> {
  return { walking: map('walking'), moderate: map('moderate'), vigorous: map('vigorous') };
}
