import { Incomplete } from './input-checks';

/**
 * Usual bed and wake times as 24-hour 'HH:MM' strings. Every key is required
 * (its value may be undefined) so a field left unwired fails to compile.
 */
export interface SleepScheduleAnswers {
  readonly weekdayBedtime: string | undefined;
  readonly weekdayWakeTime: string | undefined;
  readonly weekendBedtime: string | undefined;
  readonly weekendWakeTime: string | undefined;
}

export interface SleepPeriod {
  readonly durationHours: number;
  /** Clock time halfway through sleep, in hours from 0 up to (not including) 24. */
  readonly midpoint: number;
  /**
   * More than 16 hours in bed. Kept rather than rejected: it may be a shift
   * worker or a typo, and a clinician is better placed to tell which.
   */
  readonly implausible: boolean;
}

export interface SleepScheduleScored {
  readonly status: 'scored';
  readonly weekday: SleepPeriod;
  /** Absent when the weekend questions were left blank. */
  readonly weekend?: SleepPeriod;
  /** (5 × weekday + 2 × weekend) / 7, or the weekday duration alone. */
  readonly averageHours: number;
  /** How far the middle of sleep moves at the weekend (0-12 h), a marker of an irregular schedule. */
  readonly socialJetLagHours?: number;
  /** How far bedtime moves at the weekend (0-12 h). */
  readonly bedtimeShiftHours?: number;
  /** The AASM/SRS consensus: adults should regularly sleep 7 hours or more. */
  readonly meetsSevenHours: boolean;
}

export type SleepScheduleResult = SleepScheduleScored | Incomplete;

const MINUTES_PER_DAY = 24 * 60;
const IMPLAUSIBLE_AFTER_MINUTES = 16 * 60;
const SEVEN_HOURS_IN_MINUTES = 7 * 60;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

interface Schedule {
  readonly bedtime: number;
  readonly duration: number;
}

/**
 * Works out sleep duration and regularity from usual bed and wake times. The
 * weekday pair is required; the weekend pair is optional but must be whole, as
 * half a pair gives no duration. Arithmetic runs in whole minutes and results
 * are rounded to 2 decimals only at the end, so the 7-hour check is made on the
 * exact average (6.995 h reads as 7.00 but does not meet 7 hours).
 */
export function scoreSleepSchedule(answers: SleepScheduleAnswers): SleepScheduleResult {
  const weekdayBed = minutesOfDay('weekdayBedtime', answers.weekdayBedtime);
  const weekdayWake = minutesOfDay('weekdayWakeTime', answers.weekdayWakeTime);
  const weekendBed = minutesOfDay('weekendBedtime', answers.weekendBedtime);
  const weekendWake = minutesOfDay('weekendWakeTime', answers.weekendWakeTime);

  const missing: string[] = [];
  if (weekdayBed === undefined) missing.push('weekdayBedtime');
  if (weekdayWake === undefined) missing.push('weekdayWakeTime');
  const weekendBlank = weekendBed === undefined && weekendWake === undefined;
  if (!weekendBlank) {
    if (weekendBed === undefined) missing.push('weekendBedtime');
    if (weekendWake === undefined) missing.push('weekendWakeTime');
  }
  // Equal times are impossible whether or not the rest of the form is done.
  const weekday = schedule('weekday', weekdayBed, weekdayWake);
  const weekend = schedule('weekend', weekendBed, weekendWake);
  if (missing.length > 0 || weekday === undefined) return { status: 'incomplete', missing };

  if (weekend === undefined) {
    return {
      status: 'scored',
      weekday: period(weekday),
      weekend: undefined,
      averageHours: hours(weekday.duration),
      socialJetLagHours: undefined,
      bedtimeShiftHours: undefined,
      meetsSevenHours: weekday.duration >= SEVEN_HOURS_IN_MINUTES,
    };
  }

  const weeklyMinutes = 5 * weekday.duration + 2 * weekend.duration;
  return {
    status: 'scored',
    weekday: period(weekday),
    weekend: period(weekend),
    averageHours: hours(weeklyMinutes, 7),
    socialJetLagHours: hours(clockDistance(midpointOf(weekday), midpointOf(weekend))),
    bedtimeShiftHours: hours(clockDistance(weekday.bedtime, weekend.bedtime)),
    meetsSevenHours: weeklyMinutes >= 7 * SEVEN_HOURS_IN_MINUTES,
  };
}

/** Minutes after midnight, or undefined for a blank; throws on anything not HH:MM 00:00-23:59. */
function minutesOfDay(name: string, time: string | undefined): number | undefined {
  if (time === undefined) return undefined;
  const match = TIME.exec(time);
  if (!match) {
    throw new RangeError(
      `${name} must be a 24-hour time HH:MM from 00:00 to 23:59 (got "${time}")`,
    );
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Sleep runs forward from bedtime, past midnight when waking is at or before
 * the bedtime on the clock. Equal times would be either 0 or 24 hours, both
 * nonsense for a usual night, so they throw.
 */
function schedule(
  label: 'weekday' | 'weekend',
  bedtime: number | undefined,
  wakeTime: number | undefined,
): Schedule | undefined {
  if (bedtime === undefined || wakeTime === undefined) return undefined;
  if (bedtime === wakeTime) {
    throw new RangeError(`${label}Bedtime and ${label}WakeTime: bedtime equals wake time`);
  }
  return { bedtime, duration: (wakeTime - bedtime + MINUTES_PER_DAY) % MINUTES_PER_DAY };
}

function midpointOf({ bedtime, duration }: Schedule): number {
  return (bedtime + duration / 2) % MINUTES_PER_DAY;
}

function period(sleep: Schedule): SleepPeriod {
  return {
    durationHours: hours(sleep.duration),
    midpoint: hours(midpointOf(sleep)),
    implausible: sleep.duration > IMPLAUSIBLE_AFTER_MINUTES,
  };
}

/** The shorter way round the clock between two times, so 23:30 and 00:30 are 1 hour apart. */
function clockDistance(a: number, b: number): number {
  const apart = Math.abs(a - b) % MINUTES_PER_DAY;
  return Math.min(apart, MINUTES_PER_DAY - apart);
}

/**
 * Minutes (a whole or half minute, divided by `per`) as hours to 2 decimals,
 * an exact half rounded up, in whole numbers: 34.5 minutes is 0.575 hours,
 * which `Math.round` on the floating-point product read as 0.57.
 */
function hours(minutes: number, per = 1): number {
  const halves = Math.round(minutes * 2); // midpoints fall on half minutes, never finer
  const denominator = 2 * per;
  // hundredths = 100 × halves / (2 × per × 60) = 5 × halves / (3 × denominator), rounded half up.
  return Math.floor((10 * halves + 3 * denominator) / (6 * denominator)) / 100;
}
