import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { PROTOCOLS, Protocol } from '../../common/protocol';
import { readSection, replaceSection } from '../questionnaire/answers';
import { AnswerValue, Answers, Question, Section } from '../../content/schema/questionnaire.schema';
import { IntakeScores, scoreIntake } from '../scoring';
import {
  AuditCAnswers,
  AuditCResult,
  AuditCSex,
  IpaqActivity,
  IpaqShortAnswers,
  IpaqShortResult,
  Pss10Result,
  scoreAuditC,
  scoreIpaqShort,
  scorePss10,
  scoreSleepSchedule,
  scoreWho2020,
  SleepScheduleAnswers,
  SleepScheduleResult,
  weeklyMinutes,
  Who2020Answers,
  Who2020Result,
} from '.';
import { loadContent } from '../../content/content';

/*
 * Property-based checks of the scorers' contract, on random input that
 * includes blanks, NaN, infinities, negative, fractional and huge numbers and
 * odd strings. The contract, from the code and its examples: a blank
 * (undefined) is never scored as 0; an impossible value is a bug upstream and
 * throws a RangeError naming the first impossible input (in the order the
 * scorer checks them); anything else returns a result within its documented
 * range. The expected outcome of each run is worked out here independently.
 */

const RUNS = { numRuns: 1000 };

/** Any number at all: NaN, ±Infinity, -0, fractions, negatives, huge values, and valid ones too. */
const anyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0.5,
    -1,
    Number.EPSILON,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MAX_VALUE,
  ),
);

/** Mostly a valid whole answer from min to max, sometimes blank, sometimes any number. */
function answerFrom(min: number, max: number): fc.Arbitrary<number | undefined> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min, max }) },
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: anyNumber },
  );
}

const isWholeIn = (value: number | undefined, min: number, max: number): boolean =>
  value !== undefined && Number.isInteger(value) && value >= min && value <= max;

/** The name of the first input that is neither blank nor a whole number in its range. */
function firstImpossible(
  inputs: readonly (readonly [string, number | undefined, number, number])[],
): string | undefined {
  return inputs.find(
    ([, value, min, max]) => value !== undefined && !isWholeIn(value, min, max),
  )?.[0];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The contract: with `refusal` set, a RangeError whose message starts with it;
 * otherwise a result (an unexpected throw fails the property with its input).
 */
function expectContract<T>(score: () => T, refusal: string | undefined): T | undefined {
  if (refusal === undefined) return score();
  expect(score).toThrow(RangeError);
  expect(score).toThrow(new RegExp(`^${escapeRegExp(refusal)}`));
  return undefined;
}

// ---------------------------------------------------------------- PSS-10

const REVERSED = new Set([4, 5, 7, 8]);

function expectPss10InRange(result: Pss10Result): void {
  expect(['scored', 'incomplete']).toContain(result.status);
  if (result.status !== 'scored') return;
  expect(Number.isInteger(result.total)).toBe(true);
  expect(result.total).toBeGreaterThanOrEqual(0);
  expect(result.total).toBeLessThanOrEqual(40);
  const band = result.total <= 13 ? 'low' : result.total <= 26 ? 'moderate' : 'high';
  expect(result.band).toBe(band);
}

function expectPss10(
  result: Pss10Result | undefined,
  items: readonly (number | undefined)[],
): void {
  if (!result) return;
  expectPss10InRange(result);
  const missing = Array.from({ length: 10 }, (_, i) => i)
    .filter((i) => items[i] === undefined)
    .map((i) => `item${i + 1}`);
  if (missing.length > 0) {
    expect(result).toEqual({ status: 'incomplete', missing });
    return;
  }
  const total = (items as number[]).reduce(
    (sum, answer, i) => sum + (REVERSED.has(i + 1) ? 4 - answer : answer),
    0,
  );
  expect(result).toMatchObject({ status: 'scored', total, reversedItems: [4, 5, 7, 8] });
}

/** Ten answers, some of them holes in a sparse array; now and then a list of the wrong length. */
const pss10Items: fc.Arbitrary<(number | undefined)[]> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .tuple(
        fc.array(answerFrom(0, 4), { minLength: 10, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
      )
      .map(([answers, holes]) => {
        const items: (number | undefined)[] = new Array<number | undefined>(10);
        answers.forEach((answer, i) => {
          if (!holes[i] || answer !== undefined) items[i] = answer;
        });
        return items;
      }),
  },
  { weight: 1, arbitrary: fc.array(answerFrom(0, 4), { maxLength: 20 }) },
);

describe('scorePss10 on random input', () => {
  it('throws a RangeError only for a wrong length or an impossible answer; otherwise 0-40 or incomplete', () => {
    fc.assert(
      fc.property(pss10Items, (items) => {
        const impossible = firstImpossible(
          Array.from({ length: 10 }, (_, i) => [`item${i + 1}`, items[i], 0, 4] as const),
        );
        const refusal =
          items.length !== 10
            ? 'items must hold exactly 10 answers'
            : impossible && `${impossible} must be`;
        expectPss10(
          expectContract(() => scorePss10(items), refusal),
          items,
        );
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------- AUDIT-C

const AUDIT_ITEMS = ['frequency', 'typicalDrinks', 'sixOrMore'] as const;

const auditSex: fc.Arbitrary<AuditCSex | undefined> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<AuditCSex | undefined>('male', 'female', 'other', undefined),
  },
  {
    weight: 1,
    // Not admitted by the type, but JSON can carry anything: still a RangeError, never a guess.
    arbitrary: fc
      .oneof(fc.string(), fc.constantFrom('Male', 'FEMALE', '', ' male', 'unknown'))
      .map((sex) => sex as AuditCSex),
  },
);

const auditAnswers: fc.Arbitrary<AuditCAnswers> = fc.record({
  frequency: answerFrom(0, 4),
  typicalDrinks: answerFrom(0, 4),
  sixOrMore: answerFrom(0, 4),
  sex: auditSex,
});

function expectAuditCInRange(result: AuditCResult): void {
  expect(['scored', 'incomplete']).toContain(result.status);
  if (result.status !== 'scored') return;
  expect(Number.isInteger(result.total)).toBe(true);
  expect(result.total).toBeGreaterThanOrEqual(0);
  expect(result.total).toBeLessThanOrEqual(12);
  expect([3, 4]).toContain(result.threshold);
  expect(result.positive).toBe(result.total >= result.threshold);
}

function expectAuditC(result: AuditCResult | undefined, answers: AuditCAnswers): void {
  if (!result) return;
  expectAuditCInRange(result);
  const neverDrinks = answers.frequency === 0;
  const missing = AUDIT_ITEMS.filter(
    (name) => answers[name] === undefined && (name === 'frequency' || !neverDrinks),
  );
  if (missing.length > 0) {
    expect(result).toEqual({ status: 'incomplete', missing });
    return;
  }
  const total = AUDIT_ITEMS.reduce((sum, name) => sum + (answers[name] ?? 0), 0);
  const basis =
    answers.sex === 'male' || answers.sex === 'female' ? answers.sex : 'unspecified-used-lower';
  expect(result).toEqual({
    status: 'scored',
    total,
    positive: total >= (basis === 'male' ? 4 : 3),
    threshold: basis === 'male' ? 4 : 3,
    thresholdBasis: basis,
  });
}

describe('scoreAuditC on random input', () => {
  it('throws a RangeError only for an impossible item or sex; otherwise 0-12 or incomplete', () => {
    fc.assert(
      fc.property(auditAnswers, (answers) => {
        const item = firstImpossible(
          AUDIT_ITEMS.map((name) => [name, answers[name], 0, 4] as const),
        );
        const sexOk = ['male', 'female', 'other', undefined].includes(answers.sex);
        const refusal = item ? `${item} must be` : sexOk ? undefined : 'sex must be';
        expectAuditC(
          expectContract(() => scoreAuditC(answers), refusal),
          answers,
        );
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------- IPAQ short form

const IPAQ: readonly {
  readonly activity: IpaqActivity;
  readonly days: 'walkingDays' | 'moderateDays' | 'vigorousDays';
  readonly minutes: 'walkingMinutesPerDay' | 'moderateMinutesPerDay' | 'vigorousMinutesPerDay';
  readonly met: number;
}[] = [
  { activity: 'walking', days: 'walkingDays', minutes: 'walkingMinutesPerDay', met: 3.3 },
  { activity: 'moderate', days: 'moderateDays', minutes: 'moderateMinutesPerDay', met: 4 },
  { activity: 'vigorous', days: 'vigorousDays', minutes: 'vigorousMinutesPerDay', met: 8 },
];

/** Minutes a day: often small (so the 16-hour exclusion does not swallow every run), sometimes anything. */
const minutesPerDay: fc.Arbitrary<number | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 240 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 1440 }) },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: anyNumber },
);

const ipaqAnswers: fc.Arbitrary<IpaqShortAnswers> = fc.record({
  vigorousDays: answerFrom(0, 7),
  vigorousMinutesPerDay: minutesPerDay,
  moderateDays: answerFrom(0, 7),
  moderateMinutesPerDay: minutesPerDay,
  walkingDays: answerFrom(0, 7),
  walkingMinutesPerDay: minutesPerDay,
  sittingMinutesPerDay: minutesPerDay,
});

/** The most MET-minutes a week the caps allow: (3.3 + 4 + 8) × 180 minutes × 7 days. */
const MAX_MET_MINUTES = (3.3 + 4 + 8) * 180 * 7;

function expectIpaqInRange(result: IpaqShortResult): void {
  expect(['scored', 'incomplete', 'excluded']).toContain(result.status);
  if (result.status !== 'scored') return;
  const { walking, moderate, vigorous, total } = result.metMinutesPerWeek;
  for (const value of [walking, moderate, vigorous, total]) {
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(MAX_MET_MINUTES + 1e-9);
  }
  expect(total).toBeCloseTo(walking + moderate + vigorous, 6);
  expect(['low', 'moderate', 'high']).toContain(result.category);
  // 'high' needs 1500 MET-minutes at the least, by either of its two rules.
  expect(result.category !== 'high' || total >= 1500).toBe(true);
}

function expectIpaq(result: IpaqShortResult | undefined, answers: IpaqShortAnswers): void {
  if (!result) return;
  expectIpaqInRange(result);
  const missing: string[] = [];
  for (const { days, minutes } of IPAQ) {
    if (answers[days] === undefined) missing.push(days);
    else if (answers[days] !== 0 && answers[minutes] === undefined) missing.push(minutes);
  }
  if (missing.length > 0) {
    expect(result).toEqual({ status: 'incomplete', missing });
    return;
  }
  // The exclusion looks at the minutes as reported (IPAQ rule 7.2, before the bout rule 7.3
  // and the 180 cap 7.4); then bouts under 10 minutes drop out.
  const reported = IPAQ.map(({ days, minutes }) =>
    answers[days] === 0 ? 0 : (answers[minutes] as number),
  );
  const counted = IPAQ.map(({ days, met, activity }, i) =>
    reported[i] < 10
      ? { activity, days: 0, perDay: 0, met }
      : { activity, days: answers[days] as number, perDay: reported[i], met },
  );
  if (reported.reduce((sum, perDay) => sum + perDay, 0) > 960) {
    expect(result).toEqual({ status: 'excluded', reason: 'more than 16 hours of activity a day' });
    return;
  }
  expect(result.status).toBe('scored');
  if (result.status !== 'scored') return;
  for (const { activity, days, perDay, met } of counted) {
    expect(result.metMinutesPerWeek[activity]).toBeCloseTo(met * Math.min(perDay, 180) * days, 6);
  }
  expect(result.truncated).toEqual(counted.filter((a) => a.perDay > 180).map((a) => a.activity));
  expect(result.sittingMinutesPerDay).toBe(answers.sittingMinutesPerDay);
}

describe('scoreIpaqShort on random input', () => {
  it('throws a RangeError only for impossible days or minutes; otherwise MET-minutes ≥ 0, excluded or incomplete', () => {
    fc.assert(
      fc.property(ipaqAnswers, (answers) => {
        const impossible = firstImpossible([
          ...IPAQ.flatMap(
            ({ days, minutes }) =>
              [
                [days, answers[days], 0, 7],
                [minutes, answers[minutes], 0, 1440],
              ] as const,
          ),
          ['sittingMinutesPerDay', answers.sittingMinutesPerDay, 0, 1440],
        ]);
        expectIpaq(
          expectContract(() => scoreIpaqShort(answers), impossible && `${impossible} must be`),
          answers,
        );
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------- sleep schedule

const pad = (n: number): string => String(n).padStart(2, '0');

/** A valid 24-hour time, often from a short list so that bed and wake times sometimes coincide. */
const clockTime: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('22:30', '23:00', '00:00', '06:30', '07:00', '23:59'),
  fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${pad(h)}:${pad(m)}`),
);

/** Strings that are not HH:MM from 00:00 to 23:59, or only look like it. */
const oddTime: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom(
    '',
    ' ',
    '24:00',
    '7:30',
    '07:60',
    ' 07:30',
    '07:30 ',
    '07:30\n',
    '07:30\u0000',
    '０７:３０',
    '07:30:00',
    '7.30',
    '-1:00',
    'noon',
  ),
);

const timeAnswer: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: clockTime },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: oddTime },
);

const sleepAnswers: fc.Arbitrary<SleepScheduleAnswers> = fc.record({
  weekdayBedtime: timeAnswer,
  weekdayWakeTime: timeAnswer,
  weekendBedtime: timeAnswer,
  weekendWakeTime: timeAnswer,
});

const SLEEP_INPUTS = [
  'weekdayBedtime',
  'weekdayWakeTime',
  'weekendBedtime',
  'weekendWakeTime',
] as const;

/** HH:MM from 00:00 to 23:59, checked without the scorer's regular expression. */
function minutesOfClock(time: string): number | undefined {
  const [h, m, ...rest] = time.split(':');
  const twoDigits = (part: string | undefined): part is string =>
    part !== undefined && part.length === 2 && [...part].every((c) => c >= '0' && c <= '9');
  if (rest.length > 0 || !twoDigits(h) || !twoDigits(m)) return undefined;
  const hours = Number(h);
  const minutes = Number(m);
  return hours <= 23 && minutes <= 59 ? hours * 60 + minutes : undefined;
}

function sleepRefusal(answers: SleepScheduleAnswers): string | undefined {
  const bad = SLEEP_INPUTS.find(
    (name) => answers[name] !== undefined && minutesOfClock(answers[name]) === undefined,
  );
  if (bad) return `${bad} must be a 24-hour time`;
  for (const label of ['weekday', 'weekend'] as const) {
    const bed = answers[`${label}Bedtime`];
    if (bed !== undefined && bed === answers[`${label}WakeTime`]) {
      return `${label}Bedtime and ${label}WakeTime: bedtime equals wake time`;
    }
  }
  return undefined;
}

function expectSleepInRange(result: SleepScheduleResult): void {
  expect(['scored', 'incomplete']).toContain(result.status);
  if (result.status !== 'scored') return;
  for (const period of [result.weekday, result.weekend]) {
    if (!period) continue;
    expect(period.durationHours).toBeGreaterThan(0);
    expect(period.durationHours).toBeLessThanOrEqual(24);
    expect(period.midpoint).toBeGreaterThanOrEqual(0);
    expect(period.midpoint).toBeLessThan(24);
    expect(period.implausible).toBe(period.durationHours > 16);
  }
  expect(result.averageHours).toBeGreaterThan(0);
  expect(result.averageHours).toBeLessThanOrEqual(24);
  for (const hours of [result.socialJetLagHours, result.bedtimeShiftHours]) {
    if (hours === undefined) continue;
    expect(hours).toBeGreaterThanOrEqual(0);
    expect(hours).toBeLessThanOrEqual(12);
  }
  // The 7-hour check is made on the exact average; the rounded figure can read 7.00 either way.
  expect(result.meetsSevenHours ? result.averageHours >= 7 : result.averageHours <= 7).toBe(true);
}

function expectSleep(result: SleepScheduleResult | undefined, answers: SleepScheduleAnswers): void {
  if (!result) return;
  expectSleepInRange(result);
  const weekendBlank =
    answers.weekendBedtime === undefined && answers.weekendWakeTime === undefined;
  const missing = SLEEP_INPUTS.filter(
    (name) => answers[name] === undefined && (name.startsWith('weekday') || !weekendBlank),
  );
  if (missing.length > 0) {
    expect(result).toEqual({ status: 'incomplete', missing });
    return;
  }
  expect(result.status).toBe('scored');
  if (result.status !== 'scored') return;
  const duration = (bed: string, wake: string): number =>
    ((minutesOfClock(wake)! - minutesOfClock(bed)! + 1440) % 1440) / 60;
  expect(result.weekday.durationHours).toBeCloseTo(
    duration(answers.weekdayBedtime!, answers.weekdayWakeTime!),
    2,
  );
  expect(result.weekend === undefined).toBe(weekendBlank);
  if (result.weekend) {
    expect(result.weekend.durationHours).toBeCloseTo(
      duration(answers.weekendBedtime!, answers.weekendWakeTime!),
      2,
    );
  }
}

describe('scoreSleepSchedule on random input', () => {
  it('throws a RangeError only for a time that is not HH:MM or a bedtime equal to its wake time; otherwise 0-24 h or incomplete', () => {
    fc.assert(
      fc.property(sleepAnswers, (answers) => {
        expectSleep(
          expectContract(() => scoreSleepSchedule(answers), sleepRefusal(answers)),
          answers,
        );
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------- WHO 2020

const MINUTES_PER_WEEK = 7 * 24 * 60;

const weeklyMinutesAnswer: fc.Arbitrary<number | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 400 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: MINUTES_PER_WEEK }) },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: anyNumber },
);

const whoAnswers: fc.Arbitrary<Who2020Answers> = fc.record({
  moderateMinutesPerWeek: weeklyMinutesAnswer,
  vigorousMinutesPerWeek: weeklyMinutesAnswer,
  strengthDaysPerWeek: answerFrom(0, 7),
});

function expectWhoInRange(result: Who2020Result): void {
  expect(['scored', 'incomplete']).toContain(result.status);
  if (result.status !== 'scored') return;
  const minutes = result.aerobicEquivalentMinutes;
  expect(result.aerobic === 'unknown').toBe(minutes === undefined);
  if (minutes !== undefined) {
    expect(minutes).toBeGreaterThanOrEqual(0);
    expect(minutes).toBeLessThanOrEqual(3 * MINUTES_PER_WEEK);
    // WHO 2020: 150-300 minutes; additional benefit from more than 300.
    expect(result.aerobic).toBe(minutes < 150 ? 'below' : minutes <= 300 ? 'met' : 'upper');
  }
  expect(['below', 'met', 'unknown']).toContain(result.strength);
  // Incomplete is only for when neither part can be judged.
  expect(result.aerobic !== 'unknown' || result.strength !== 'unknown').toBe(true);
}

function expectWho(result: Who2020Result | undefined, answers: Who2020Answers): void {
  if (!result) return;
  expectWhoInRange(result);
  const { moderateMinutesPerWeek: moderate, vigorousMinutesPerWeek: vigorous } = answers;
  const days = answers.strengthDaysPerWeek;
  const aerobicKnown = moderate !== undefined && vigorous !== undefined;
  if (!aerobicKnown && days === undefined) {
    expect(result).toEqual({
      status: 'incomplete',
      missing: (
        ['moderateMinutesPerWeek', 'vigorousMinutesPerWeek', 'strengthDaysPerWeek'] as const
      ).filter((name) => answers[name] === undefined),
    });
    return;
  }
  expect(result).toMatchObject({
    status: 'scored',
    aerobicEquivalentMinutes: aerobicKnown ? moderate + 2 * vigorous : undefined,
    strength: days === undefined ? 'unknown' : days >= 2 ? 'met' : 'below',
  });
}

describe('scoreWho2020 and weeklyMinutes on random input', () => {
  it('scoreWho2020 throws a RangeError only for impossible minutes or days; otherwise in range or incomplete', () => {
    fc.assert(
      fc.property(whoAnswers, (answers) => {
        const impossible = firstImpossible([
          ['moderateMinutesPerWeek', answers.moderateMinutesPerWeek, 0, MINUTES_PER_WEEK],
          ['vigorousMinutesPerWeek', answers.vigorousMinutesPerWeek, 0, MINUTES_PER_WEEK],
          ['strengthDaysPerWeek', answers.strengthDaysPerWeek, 0, 7],
        ]);
        expectWho(
          expectContract(() => scoreWho2020(answers), impossible && `${impossible} must be`),
          answers,
        );
      }),
      RUNS,
    );
  });

  it('weeklyMinutes throws a RangeError only for impossible input; otherwise 0 to a week of minutes, or unknown', () => {
    fc.assert(
      fc.property(answerFrom(0, 7), minutesPerDay, (days, perDay) => {
        const impossible = firstImpossible([
          ['days', days, 0, 7],
          ['minutesPerDay', perDay, 0, 1440],
        ]);
        const result = expectContract(
          () => weeklyMinutes(days, perDay),
          impossible && `${impossible} must be`,
        );
        const expected =
          impossible !== undefined
            ? undefined
            : days === 0
              ? 0
              : days === undefined || perDay === undefined
                ? undefined
                : days * perDay;
        expect(result).toBe(expected);
        expect(result ?? 0).toBeGreaterThanOrEqual(0);
        expect(result ?? 0).toBeLessThanOrEqual(MINUTES_PER_WEEK);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------- scoreIntake

const QUESTIONS: readonly Question[] = loadContent().questionnaire.sections.flatMap(
  (s) => s.questions,
);
const QUESTION_IDS = QUESTIONS.map((q) => q.id);

function expectScoresInRange(scores: IntakeScores): void {
  expect(Object.keys(scores).sort()).toEqual([
    'auditC',
    'bmi',
    'ipaqShort',
    'pss10',
    'sleepHours',
    'sleepSchedule',
    'who2020',
  ]);
  expectPss10InRange(scores.pss10);
  expectAuditCInRange(scores.auditC);
  expectIpaqInRange(scores.ipaqShort);
  expectSleepInRange(scores.sleepSchedule);
  expectWhoInRange(scores.who2020);
}

/** A value the JSON API could send for this question: valid by construction (or blank). */
function sentValue(question: Question): fc.Arbitrary<unknown> {
  switch (question.type) {
    case 'single':
      return fc.constantFrom(...question.options.map((o) => o.value));
    case 'multiple': {
      const { noneValue } = question;
      return fc
        .subarray(question.options.map((o) => o.value))
        .map((chosen) =>
          noneValue && chosen.length > 1 ? chosen.filter((v) => v !== noneValue) : chosen,
        );
    }
    case 'number': {
      const steps = Math.round((question.max - question.min) / question.step);
      return fc.integer({ min: 0, max: steps }).map((n) => question.min + n * question.step);
    }
    case 'time':
      return clockTime;
    case 'yesNoUnsure':
      return fc.constantFrom('yes', 'no', 'not_sure');
    case 'text':
      return fc.string({ maxLength: question.maxLength });
  }
}

/** One section's body as the API sends it: any subset of its questions (context always has its required ones). */
function sectionBody(section: Section): fc.Arbitrary<Record<string, unknown>> {
  const model = Object.fromEntries(section.questions.map((q) => [q.id, sentValue(q)]));
  const requiredKeys = section.questions.filter((q) => q.required).map((q) => q.id);
  return fc.record(model, { requiredKeys });
}

const everySection = fc.tuple(...loadContent().questionnaire.sections.map(sectionBody));
const protocol: fc.Arbitrary<Protocol> = fc.constantFrom(...PROTOCOLS);

/**
 * Whether these answers are what the service could have stored: only known
 * questions, and each section reads back as itself through the same checks
 * the pages and the API use (so nothing invalid, untrimmed or hidden).
 */
function isStorable(answers: Answers, forProtocol: Protocol): boolean {
  if (Object.keys(answers).some((key) => !QUESTION_IDS.includes(key))) return false;
  return loadContent().questionnaire.sections.every((section) => {
    const body = Object.fromEntries(
      section.questions.filter((q) => q.id in answers).map((q) => [q.id, answers[q.id]]),
    );
    const read = readSection(section, body, 'json', forProtocol);
    return (
      read.problems.every((problem) => !(problem.field in body)) &&
      isDeepStrictEqual(read.answers, body)
    );
  });
}

/** Scores answers the service could have stored without a throw; others may only throw a RangeError. */
function expectScoredUnlessUnstorable(answers: Answers, storable: boolean): void {
  if (storable) {
    expectScoresInRange(scoreIntake(answers));
    return;
  }
  let scores: IntakeScores | undefined;
  try {
    scores = scoreIntake(answers);
  } catch (error) {
    expect(error).toBeInstanceOf(RangeError);
  }
  if (scores) expectScoresInRange(scores);
}

/** Odd values for any answer: numbers of every kind, strings, times that are not, lists. */
const anyAnswerValue: fc.Arbitrary<AnswerValue> = fc.oneof(
  anyNumber,
  fc.integer({ min: 0, max: 30 }),
  fc.string(),
  clockTime,
  oddTime,
  fc.array(fc.string(), { maxLength: 3 }),
  fc.constantFrom('male', 'female', 'other', 'yes', 'none', 'dark'),
);

const anyAnswers: fc.Arbitrary<Answers> = fc.dictionary(
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...QUESTION_IDS) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'pss11') },
  ),
  anyAnswerValue,
  { maxKeys: 40 },
);

describe('scoreIntake on random answers', () => {
  it('scores whatever the pages and API would store without throwing, every result in range', () => {
    fc.assert(
      fc.property(everySection, protocol, (bodies, forProtocol) => {
        let stored: Answers = {};
        const problems: string[] = [];
        loadContent().questionnaire.sections.forEach((section, i) => {
          const read = readSection(section, bodies[i], 'json', forProtocol);
          problems.push(...read.problems.map((p) => `${p.field}: ${p.message}`));
          stored = replaceSection(stored, section, read.answers);
        });
        // Anything refused would not be stored; what is stored must be scorable.
        fc.pre(problems.length === 0);
        expect(isStorable(stored, forProtocol)).toBe(true);
        expectScoresInRange(scoreIntake(stored));
      }),
      { numRuns: 1000 },
    );
  });

  it('on any answer object, scores in range or throws only a RangeError, and never for storable answers', () => {
    fc.assert(
      fc.property(anyAnswers, protocol, (answers, forProtocol) => {
        expectScoredUnlessUnstorable(answers, isStorable(answers, forProtocol));
      }),
      RUNS,
    );
  });
});
