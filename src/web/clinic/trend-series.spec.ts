import { scoreIntake } from '../../intake/scoring';
import { Answers } from '../../content/schema/questionnaire.schema';
import { findDosingAdvice } from '../../safety/dosing-guard';
import { trendChart } from './trend-chart';
import { auditCTarget, SubmittedIntakeFigures, trendSeries } from './trend-series';

/** An intake as stored: the scores go through JSON, as they do through the jsonb column. */
const intake = (day: string, answers: Answers, scored = true): SubmittedIntakeFigures => ({
  submittedAt: new Date(`${day}T18:30:00Z`),
  answers,
  scores: scored
    ? (JSON.parse(JSON.stringify(scoreIntake(answers))) as Record<string, unknown>)
    : null,
});

/** The ten PSS-10 items all answered the same, but for the item left blank, if any. */
const pss = (answer: number, blank?: number) =>
  Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [`pss${i + 1}`, answer]).filter(
      ([id]) => id !== `pss${blank}`,
    ),
  );
const ipaq = {
  vigorousDays: 2,
  vigorousMinutesPerDay: 30,
  moderateDays: 3,
  moderateMinutesPerDay: 40,
  walkingDays: 5,
  walkingMinutesPerDay: 20,
};

const values = (series: ReturnType<typeof trendSeries>, id: string) =>
  series.find((s) => s.id === id)?.points.map((p) => p.value);

describe('trendSeries', () => {
  const first = intake('2026-01-10', {
    sex: 'male',
    hoursAsleep: 6,
    ...pss(2), // reversed items count 4 - 2 = 2 too: total 20
    auditFrequency: 2,
    auditTypicalDrinks: 1,
    auditSixOrMore: 1,
    ...ipaq, // 8 x 30 x 2 + 4 x 40 x 3 + 3.3 x 20 x 5 = 1290 MET-minutes
    resistanceDaysPerWeek: 1,
  });
  const second = intake('2026-03-02', {
    sex: 'male',
    // No estimate of sleep: the average from bed and wake times is used (7.5 h).
    weekdayBedtime: '23:00',
    weekdayWakeTime: '06:30',
    ...pss(1, 4), // one blank item: the PSS-10 is incomplete
    auditFrequency: 0, // never drinks: a real 0, which must stay 0
    vigorousDays: 7,
    vigorousMinutesPerDay: 600,
    moderateDays: 7,
    moderateMinutesPerDay: 600,
    walkingDays: 0, // over 16 hours a day: IPAQ excludes the case
  });
  const third = intake('2026-05-20', { hoursAsleep: 8, resistanceDaysPerWeek: 3 }, false);

  const series = trendSeries([first, second, third]);

  it('gives the five series in a fixed order, one point per intake, dated by the UTC day of submission', () => {
    expect(series.map((s) => s.id)).toEqual([
      'sleep-hours',
      'pss10',
      'audit-c',
      'met-minutes',
      'resistance-days',
    ]);
    for (const one of series) {
      expect(one.points.map((p) => p.date)).toEqual(['2026-01-10', '2026-03-02', '2026-05-20']);
    }
  });

  it('reads sleep from the estimate, else from the bed and wake times', () => {
    expect(values(series, 'sleep-hours')).toEqual([6, 7.5, 8]);
  });

  it('turns an unscored instrument into no value, never 0, and keeps a real 0', () => {
    expect(second.scores?.pss10).toMatchObject({ status: 'incomplete' });
    expect(second.scores?.ipaqShort).toMatchObject({ status: 'excluded' });
    expect(values(series, 'pss10')).toEqual([20, undefined, undefined]);
    expect(values(series, 'audit-c')).toEqual([4, 0, undefined]);
    expect(values(series, 'met-minutes')).toEqual([1290, undefined, undefined]);
    expect(values(series, 'resistance-days')).toEqual([1, undefined, 3]);
  });

  it('uses the targets of the pillar chart where they overlap, and WHO 2020 for strength days', () => {
    const targets = Object.fromEntries(series.map((s) => [s.id, s.target]));
    expect(targets['sleep-hours']).toMatchObject({ value: 7, better: 'higher' });
    expect(targets.pss10).toMatchObject({ value: 13, better: 'lower' });
    expect(targets['resistance-days']).toEqual({
      value: 2,
      better: 'higher',
      label: '2 days or more (WHO 2020)',
    });
    expect(targets['met-minutes']).toBeUndefined();
    // This patient is male: his own cut-off (4) from the stored AUDIT-C result.
    expect(targets['audit-c']).toEqual({
      value: 3,
      better: 'lower',
      label: '3 or less (positive from 4, men)',
    });
  });

  it('gives five empty series for no intakes', () => {
    const empty = trendSeries([]);
    expect(empty).toHaveLength(5);
    expect(empty.every((s) => s.points.length === 0)).toBe(true);
  });

  it('draws every series without error, and its labels carry no dosing advice', () => {
    for (const one of series) {
      const chart = trendChart(one);
      expect(chart.svg.startsWith('<svg')).toBe(true);
      const texts = [one.label, one.unit, one.target?.label ?? ''];
      expect(texts.flatMap((t) => findDosingAdvice(t))).toEqual([]);
    }
  });
});

describe('auditCTarget', () => {
  const scored = (threshold: number, thresholdBasis: string) => ({
    auditC: { status: 'scored', total: 1, positive: false, threshold, thresholdBasis },
  });

  it("takes the patient's own cut-off from the latest scored intake", () => {
    expect(
      auditCTarget([scored(4, 'male'), scored(3, 'female'), { auditC: { status: 'incomplete' } }]),
    ).toEqual({
      value: 2,
      better: 'lower',
      label: '2 or less (positive from 3, women)',
    });
    expect(auditCTarget([scored(3, 'unspecified-used-lower')]).label).toBe(
      '2 or less (positive from 3, sex not given)',
    );
  });

  it('falls back to the lower cut-off (3) with no scored AUDIT-C', () => {
    expect(
      auditCTarget([{}, { auditC: { status: 'incomplete', missing: ['frequency'] } }]),
    ).toEqual({
      value: 2,
      better: 'lower',
      label: '2 or less (positive from 3, lower cut-off)',
    });
  });
});
