import {
  AuditCResult,
  BmiResult,
  scoreBmi,
  IpaqShortResult,
  Pss10Result,
  scoreAuditC,
  scoreIpaqShort,
  scorePss10,
  scoreSleepSchedule,
  scoreWho2020,
  SleepScheduleResult,
  weeklyMinutes,
  Who2020Result,
} from './instruments';
import { Answers } from '../content/schema/questionnaire.schema';

/** Every instrument's result for one intake, as stored with the submitted answers. */
export interface IntakeScores {
  readonly pss10: Pss10Result;
  readonly auditC: AuditCResult;
  readonly ipaqShort: IpaqShortResult;
  readonly sleepSchedule: SleepScheduleResult;
  readonly who2020: Who2020Result;
  /** Asked from questionnaire 2026-12.1 on; incomplete on earlier intakes. */
  readonly bmi: BmiResult;
  readonly sleepHours: SleepHoursResult;
}

/**
 * Hours asleep a night, one figure for the picture and the rules alike: the
 * hours the patient reported, or when left blank, the weekly average of the
 * bed and wake times (time in bed, so an upper bound on sleep).
 */
export type SleepHoursResult =
  | { readonly status: 'scored'; readonly hours: number; readonly from: 'reported' | 'schedule' }
  | { readonly status: 'incomplete'; readonly missing: readonly string[] };

function sleepHours(reported: number | undefined, schedule: SleepScheduleResult): SleepHoursResult {
  if (reported !== undefined) return { status: 'scored', hours: reported, from: 'reported' };
  if (schedule.status === 'scored')
    return { status: 'scored', hours: schedule.averageHours, from: 'schedule' };
  return { status: 'incomplete', missing: ['hoursAsleep'] };
}

const num = (answers: Answers, id: string): number | undefined => {
  const value = answers[id];
  return typeof value === 'number' ? value : undefined;
};
const text = (answers: Answers, id: string): string | undefined => {
  const value = answers[id];
  return typeof value === 'string' ? value : undefined;
};

/** Maps the questionnaire's answers onto each instrument's inputs and scores them. Pure. */
export function scoreIntake(answers: Answers): IntakeScores {
  const sittingHours = num(answers, 'sittingHoursPerWeekday');
  const schedule = scoreSleepSchedule({
    weekdayBedtime: text(answers, 'weekdayBedtime'),
    weekdayWakeTime: text(answers, 'weekdayWakeTime'),
    weekendBedtime: text(answers, 'weekendBedtime'),
    weekendWakeTime: text(answers, 'weekendWakeTime'),
  });
  const sex = text(answers, 'sex');
  return {
    pss10: scorePss10(Array.from({ length: 10 }, (_, i) => num(answers, `pss${i + 1}`))),
    auditC: scoreAuditC({
      frequency: num(answers, 'auditFrequency'),
      typicalDrinks: num(answers, 'auditTypicalDrinks'),
      sixOrMore: num(answers, 'auditSixOrMore'),
      sex: sex === 'male' || sex === 'female' || sex === 'other' ? sex : undefined,
    }),
    ipaqShort: scoreIpaqShort({
      vigorousDays: num(answers, 'vigorousDays'),
      vigorousMinutesPerDay: num(answers, 'vigorousMinutesPerDay'),
      moderateDays: num(answers, 'moderateDays'),
      moderateMinutesPerDay: num(answers, 'moderateMinutesPerDay'),
      walkingDays: num(answers, 'walkingDays'),
      walkingMinutesPerDay: num(answers, 'walkingMinutesPerDay'),
      sittingMinutesPerDay: sittingHours === undefined ? undefined : Math.round(sittingHours * 60),
    }),
    sleepSchedule: schedule,
    sleepHours: sleepHours(num(answers, 'hoursAsleep'), schedule),
    who2020: scoreWho2020({
      moderateMinutesPerWeek: weeklyMinutes(
        num(answers, 'moderateDays'),
        num(answers, 'moderateMinutesPerDay'),
      ),
      vigorousMinutesPerWeek: weeklyMinutes(
        num(answers, 'vigorousDays'),
        num(answers, 'vigorousMinutesPerDay'),
      ),
      strengthDaysPerWeek: num(answers, 'resistanceDaysPerWeek'),
    }),
    bmi: scoreBmi({ heightCm: num(answers, 'heightCm'), weightKg: num(answers, 'weightKg') }),
  };
}
