import { readScore, ScorePathId } from '../../content/score-paths';
import { TrendPoint, TrendSeries, TrendTarget } from './trend-chart';

/*
 * A patient's figures across their submitted intakes, as the series the
 * trend charts draw. Scores are read with readScore, so an instrument that
 * was not scored (incomplete, or IPAQ's "excluded") gives no value, never 0.
 * Targets are those of the handout's pillar chart where the two overlap.
 */

/** What the trend needs of a submitted intake. */
export interface SubmittedIntakeFigures {
  readonly submittedAt: Date;
  readonly answers: Readonly<Record<string, unknown>>;
  /** Null when the intake was stored without scores. */
  readonly scores: Readonly<Record<string, unknown>> | null;
}

/** AUDIT-C cut-offs of the US / VA validation (src/intake/instruments/audit-c.ts). */
const AUDIT_C_LOWER_CUT_OFF = 3;

/**
 * Five series, always in this order: sleep-hours, pss10, audit-c, met-minutes,
 * resistance-days. Intakes oldest first; the chart orders by date in any case.
 */
export function trendSeries(
  intakes: readonly SubmittedIntakeFigures[],
  dayOf: (date: Date) => string = (date) => date.toISOString().slice(0, 10),
): TrendSeries[] {
  const dated = intakes.map((intake) => ({
    date: dayOf(intake.submittedAt),
    answers: intake.answers,
    scores: intake.scores ?? {},
  }));
  const series = (
    read: (answers: Readonly<Record<string, unknown>>, scores: Record<string, unknown>) => unknown,
  ): TrendPoint[] =>
    dated.map(({ date, answers, scores }) => ({ date, value: numberOf(read(answers, scores)) }));
  const score = (path: ScorePathId) => series((_answers, scores) => readScore(scores, path));

  return [
    {
      id: 'sleep-hours',
      label: 'Sleep, hours a night',
      unit: 'h',
      // The patient's own estimate of sleep; else the average from usual bed and wake times.
      points: series(
        (answers, scores) =>
          numberOf(answers.hoursAsleep) ?? readScore(scores, 'sleepSchedule.averageHours'),
      ),
      target: { value: 7, better: 'higher', label: '7 h or more (AASM/SRS)' },
    },
    {
      id: 'pss10',
      label: 'Perceived stress (PSS-10, 0-40)',
      unit: '',
      points: score('pss10.total'),
      target: { value: 13, better: 'lower', label: '13 or less (low stress band)' },
    },
    {
      id: 'audit-c',
      label: 'Alcohol (AUDIT-C, 0-12)',
      unit: '',
      points: score('auditC.total'),
      target: auditCTarget(dated.map((intake) => intake.scores)),
    },
    {
      id: 'met-minutes',
      label: 'Physical activity (IPAQ, MET-minutes a week)',
      unit: 'MET-min/week',
      points: score('ipaqShort.metMinutesPerWeek.total'),
    },
    {
      id: 'resistance-days',
      label: 'Strength training, days a week',
      // No unit: "1 days" reads badly, and the label says what the number counts.
      unit: '',
      points: series((answers) => answers.resistanceDaysPerWeek),
      target: { value: 2, better: 'higher', label: '2 days or more (WHO 2020)' },
    },
  ];
}

/**
 * Below the AUDIT-C screen-positive cut-off. The cut-off depends on sex (4 for
 * men, 3 for women, and the lower 3 when sex is other or not given); the
 * scorer stores the one it used with each result, so the patient's own is
 * taken from their latest scored intake. With no scored intake yet, the
 * lower cut-off is used, as the scorer itself does when it cannot tell.
 * Totals are whole numbers, so "below the cut-off" is "cut-off minus 1 or less".
 */
export function auditCTarget(scores: readonly Readonly<Record<string, unknown>>[]): TrendTarget {
  let cutOff = AUDIT_C_LOWER_CUT_OFF;
  let basis = 'lower cut-off';
  for (const one of scores) {
    const result = one.auditC as
      { status?: unknown; threshold?: unknown; thresholdBasis?: unknown } | undefined;
    if (result?.status !== 'scored' || typeof result.threshold !== 'number') continue;
    cutOff = result.threshold;
    basis =
      result.thresholdBasis === 'male'
        ? 'men'
        : result.thresholdBasis === 'female'
          ? 'women'
          : 'sex not given';
  }
  return {
    value: cutOff - 1,
    better: 'lower',
    label: `${cutOff - 1} or less (positive from ${cutOff}, ${basis})`,
  };
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
