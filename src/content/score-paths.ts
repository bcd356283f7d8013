/**
 * The instrument results a rule condition may read, by path into the
 * scores stored with a submitted intake (see src/intake/scoring.ts). A path
 * is readable only when its instrument's status is 'scored'; otherwise it is
 * unknown, like an unanswered question.
 */
export type ScoreValueType =
  | { readonly type: 'number' }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] };

export interface ScorePath {
  /** The questions it is computed from: a rule reading the score reads them. */
  readonly from: readonly string[];
  readonly label: string;
  readonly value: ScoreValueType;
  readonly unit?: string;
}

/** The questions each instrument is computed from. */
const PSS10 = ['pss1', 'pss2', 'pss3', 'pss4', 'pss5', 'pss6', 'pss7', 'pss8', 'pss9', 'pss10'];
const AUDIT_C = ['auditFrequency', 'auditTypicalDrinks', 'auditSixOrMore'];
const IPAQ = [
  'vigorousDays',
  'vigorousMinutesPerDay',
  'moderateDays',
  'moderateMinutesPerDay',
  'walkingDays',
  'walkingMinutesPerDay',
];
const AEROBIC = ['moderateDays', 'moderateMinutesPerDay', 'vigorousDays', 'vigorousMinutesPerDay'];
const SLEEP_TIMES = ['weekdayBedtime', 'weekdayWakeTime', 'weekendBedtime', 'weekendWakeTime'];

export const SCORE_PATHS = {
  'pss10.total': {
    from: PSS10,
    label: 'PSS-10 total (0-40)',
    value: { type: 'number' },
  },
  'pss10.band': {
    from: PSS10,
    label: 'PSS-10 band',
    value: { type: 'enum', values: ['low', 'moderate', 'high'] },
  },
  'auditC.total': {
    from: AUDIT_C,
    label: 'AUDIT-C total (0-12)',
    value: { type: 'number' },
  },
  'auditC.positive': {
    from: [...AUDIT_C, 'sex'],
    label: 'AUDIT-C screen positive',
    value: { type: 'boolean' },
  },
  'ipaqShort.category': {
    from: IPAQ,
    label: 'IPAQ activity category',
    value: { type: 'enum', values: ['low', 'moderate', 'high'] },
  },
  'ipaqShort.metMinutesPerWeek.total': {
    from: IPAQ,
    label: 'IPAQ MET-minutes a week',
    value: { type: 'number' },
    unit: 'MET-min/week',
  },
  'ipaqShort.metMinutesPerWeek.vigorous': {
    from: ['vigorousDays', 'vigorousMinutesPerDay'],
    label: 'IPAQ vigorous MET-minutes a week',
    value: { type: 'number' },
    unit: 'MET-min/week',
  },
  'ipaqShort.sittingMinutesPerDay': {
    from: ['sittingHoursPerWeekday'],
    label: 'Sitting time on a week day',
    value: { type: 'number' },
    unit: 'minutes a day',
  },
  'sleepSchedule.averageHours': {
    from: SLEEP_TIMES,
    label: 'Scheduled sleep, weekly average (from bed and wake times)',
    value: { type: 'number' },
    unit: 'hours',
  },
  'sleepSchedule.meetsSevenHours': {
    from: SLEEP_TIMES,
    label: 'Scheduled sleep averages 7 hours or more',
    value: { type: 'boolean' },
  },
  'sleepSchedule.socialJetLagHours': {
    from: SLEEP_TIMES,
    label: 'Shift of sleep midpoint between work and free days',
    value: { type: 'number' },
    unit: 'hours',
  },
  'sleepSchedule.bedtimeShiftHours': {
    from: SLEEP_TIMES,
    label: 'Shift of bedtime between work and free days',
    value: { type: 'number' },
    unit: 'hours',
  },
  'who2020.aerobic': {
    from: AEROBIC,
    label: 'WHO 2020 aerobic activity target',
    value: { type: 'enum', values: ['below', 'met', 'upper'] },
  },
  'who2020.strength': {
    from: ['resistanceDaysPerWeek'],
    label: 'WHO 2020 muscle-strengthening target (2+ days a week)',
    value: { type: 'enum', values: ['below', 'met'] },
  },
  'who2020.aerobicEquivalentMinutes': {
    from: AEROBIC,
    label: 'Moderate-equivalent aerobic minutes a week',
    value: { type: 'number' },
    unit: 'minutes a week',
  },
  'sleepHours.hours': {
    from: ['hoursAsleep', ...SLEEP_TIMES],
    label: 'Hours asleep a night (as reported, else from bed and wake times)',
    value: { type: 'number' },
    unit: 'hours',
  },
  'bmi.value': {
    from: ['heightCm', 'weightKg'],
    label: 'Body-mass index',
    value: { type: 'number' },
    unit: 'kg/m²',
  },
  'bmi.band': {
    from: ['heightCm', 'weightKg'],
    label: 'Body-mass index band (WHO adult)',
    value: { type: 'enum', values: ['underweight', 'normal', 'overweight', 'obese'] },
  },
} as const satisfies Record<string, ScorePath>;

export type ScorePathId = keyof typeof SCORE_PATHS;

export function isScorePath(path: string): path is ScorePathId {
  return Object.prototype.hasOwnProperty.call(SCORE_PATHS, path);
}

/** Reads a score by path; undefined when its instrument was not scored or the value is absent. */
export function readScore(scores: Readonly<Record<string, unknown>>, path: ScorePathId): unknown {
  const [instrument, ...rest] = path.split('.');
  const result = scores[instrument] as { status?: unknown } | undefined;
  if (!result || result.status !== 'scored') return undefined;
  let value: unknown = result;
  for (const key of rest) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  // 'unknown' (WHO 2020 with a blank input) is as good as no answer.
  return value === null || value === 'unknown' ? undefined : value;
}
