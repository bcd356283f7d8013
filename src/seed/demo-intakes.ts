import type { Protocol } from '../common/protocol';
import type { Answers } from '../content/schema/questionnaire.schema';

/**
 * The demo clinic's patients and their intakes, so that the list, the review
 * page, the trend charts and both handouts can be seen right after the first
 * start. Invented people and answers; each answer set reads cleanly against
 * the questionnaire (src/seed/demo-intakes.spec.ts).
 */
export interface DemoIntake {
  readonly protocol: Protocol;
  /** Days before the seed that the link was made; the intake follows within a day. */
  readonly daysAgo: number;
  readonly state: 'in_progress' | 'submitted' | 'reviewed';
  readonly answers: Answers;
}

export interface DemoPatient {
  readonly givenName: string;
  readonly familyName: string;
  readonly reference: string | null;
  /** Oldest first. */
  readonly intakes: readonly DemoIntake[];
}

const TRT_BEFORE: Answers = {
  sex: 'male',
  ageBand: '40-49',
  timeOnProtocol: '3_to_12_months',
  goals: ['energy', 'strength'],
  sweetDrinksAndSweets: 'daily',
  processedFood: '3_5_weekly',
  healthyFats: 'rarely',
  oilyFishServingsPerWeek: 0,
  zincMagnesiumFoods: 'rarely',
  vegetableFruitServingsPerDay: 2,
  proteinEachMeal: 'some_meals',
  lastCaffeine: '3pm_to_6pm',
  auditFrequency: 4,
  auditTypicalDrinks: 2,
  auditSixOrMore: 3,
  resistanceDaysPerWeek: 1,
  resistanceMinutesPerSession: 45,
  vigorousDays: 0,
  moderateDays: 1,
  moderateMinutesPerDay: 30,
  walkingDays: 2,
  walkingMinutesPerDay: 20,
  sittingHoursPerWeekday: 10,
  weekdayBedtime: '00:30',
  weekdayWakeTime: '06:00',
  weekendBedtime: '01:30',
  weekendWakeTime: '08:30',
  hoursAsleep: 5.5,
  nightWaking: 'some_nights',
  lateAlcohol: 'most_nights',
  screensLastHour: 'most_nights',
  pss1: 3,
  pss2: 3,
  pss3: 3,
  pss4: 2,
  pss5: 2,
  pss6: 2,
  pss7: 2,
  pss8: 2,
  pss9: 3,
  pss10: 2,
  stressPractices: ['none'],
  workHoursPerWeek: 55,
};

export const DEMO_PATIENTS: readonly DemoPatient[] = [
  {
    givenName: 'Alex',
    familyName: 'Morgan',
    reference: 'DEMO-1001',
    // Two intakes three months apart: the trend charts have two points.
    intakes: [
      { protocol: 'trt', daysAgo: 95, state: 'reviewed', answers: TRT_BEFORE },
      {
        protocol: 'trt',
        daysAgo: 3,
        state: 'submitted',
        answers: {
          ...TRT_BEFORE,
          timeOnProtocol: '1_to_3_years',
          sweetDrinksAndSweets: 'weekly',
          auditFrequency: 2,
          auditTypicalDrinks: 1,
          auditSixOrMore: 1,
          resistanceDaysPerWeek: 3,
          resistanceMinutesPerSession: 60,
          moderateDays: 2,
          walkingDays: 5,
          walkingMinutesPerDay: 30,
          hoursAsleep: 6.5,
          lateAlcohol: 'some_nights',
          pss2: 2,
          pss3: 2,
          stressPractices: ['breathing', 'nature'],
        },
      },
    ],
  },
  {
    givenName: 'Jordan',
    familyName: 'Lee',
    reference: 'DEMO-1002',
    intakes: [
      {
        protocol: 'female_hormone_therapy',
        daysAgo: 12,
        state: 'reviewed',
        answers: {
          sex: 'female',
          ageBand: '50-59',
          timeOnProtocol: '3_to_12_months',
          goals: ['mood', 'sleep', 'bone_health'],
          sweetDrinksAndSweets: 'weekly',
          processedFood: '3_5_weekly',
          healthyFats: 'some_days',
          vegetableFruitServingsPerDay: 2,
          cruciferousServingsPerWeek: 0,
          fermentedFoods: 'rarely',
          wholeGrainsLegumes: 'rarely',
          proteinEachMeal: 'some_meals',
          lastCaffeine: '3pm_to_6pm',
          auditFrequency: 2,
          auditTypicalDrinks: 0,
          auditSixOrMore: 0,
          resistanceDaysPerWeek: 0,
          restorativeMovement: 'rarely',
          hoursAsleep: 6.5,
          nightWaking: 'most_nights',
          pss1: 3,
          pss2: 4,
          pss3: 4,
          pss4: 1,
          pss5: 1,
          pss6: 3,
          pss7: 1,
          pss8: 1,
          pss9: 3,
          pss10: 3,
          stressPractices: ['none'],
          daylightMinutesPerDay: 10,
          workHoursPerWeek: 60,
        },
      },
    ],
  },
  {
    givenName: 'Sam',
    familyName: 'Okafor',
    reference: 'DEMO-1003',
    intakes: [
      {
        protocol: 'gh_peptide_therapy',
        daysAgo: 2,
        state: 'submitted',
        answers: {
          sex: 'male',
          ageBand: '30-39',
          timeOnProtocol: 'under_3_months',
          goals: ['body_composition', 'strength'],
          sweetDrinksAndSweets: 'rarely',
          proteinEachMeal: 'most_meals',
          vegetableFruitServingsPerDay: 4,
          resistanceDaysPerWeek: 4,
          resistanceMinutesPerSession: 60,
          vigorousDays: 6,
          vigorousMinutesPerDay: 60,
          moderateDays: 0,
          walkingDays: 3,
          walkingMinutesPerDay: 20,
          sittingHoursPerWeekday: 6,
          enduranceHoursPerWeek: 2,
          restDaysPerWeek: 0,
          restorativeMovement: 'rarely',
          hardExerciseLate: 'most_nights',
          exerciseTimingVsPeptide: 'varies',
          weekdayBedtime: '23:30',
          weekdayWakeTime: '06:00',
          weekendBedtime: '00:00',
          weekendWakeTime: '07:00',
          hoursAsleep: 6.5,
          minutesToFallAsleep: 45,
        },
      },
    ],
  },
  {
    givenName: 'Riley',
    familyName: 'Novak',
    reference: 'DEMO-1004',
    // Half-way through the form: the list shows "In progress".
    intakes: [
      {
        protocol: 'post_trt_recovery',
        daysAgo: 1,
        state: 'in_progress',
        answers: {
          sex: 'male',
          ageBand: '40-49',
          timeOnProtocol: 'under_3_months',
          goals: ['energy', 'fertility'],
          healthyFats: 'most_days',
          restrictiveEating: 'both',
        },
      },
    ],
  },
  { givenName: 'Casey', familyName: 'Haddad', reference: null, intakes: [] },
];
