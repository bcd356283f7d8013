import { escapeHtml } from '../common/escape-html';
import type { Pillar } from '../common/pillar';
import { Answers } from '../content/schema/questionnaire.schema';
import { weeklyMinutes } from '../intake/instruments/who-2020';
import { readScore } from '../content/score-paths';

/*
 * The four-pillar picture: for each pillar, the patient's figure on a scale
 * with the target marked. Drawn here as SVG (no script, no fonts fetched);
 * every text is escaped. A figure the patient did not give shows as
 * "not answered", never as zero.
 */

export type Audience = 'clinician' | 'patient';

export interface PillarBar {
  readonly key: Pillar;
  readonly pillar: string;
  readonly measure: string;
  readonly value: number | undefined;
  readonly max: number;
  readonly target: number;
  /** Whether reaching the target means being at or above it (sleep) or at or below it (stress). */
  readonly better: 'higher' | 'lower';
  readonly unit: string;
  readonly targetLabel: string;
  /**
   * The value counts only the parts the patient answered (vigorous minutes
   * given, moderate left blank): the true figure is at least this much.
   */
  readonly atLeast?: boolean;
}

/** The clinician's labels name instruments and sources; the patient's say the same in plain words. */
export function pillarBars(
  answers: Answers,
  scores: Readonly<Record<string, unknown>>,
  audience: Audience,
): PillarBar[] {
  const plain = audience === 'patient';
  const numberOf = (value: unknown): number | undefined =>
    typeof value === 'number' ? value : undefined;
  const sleep =
    numberOf(readScore(scores, 'sleepHours.hours')) ??
    // Intakes scored before sleepHours existed.
    numberOf(answers.hoursAsleep) ??
    numberOf(readScore(scores, 'sleepSchedule.averageHours'));
  const aerobic = aerobicMinutes(answers, scores);
  return [
    {
      key: 'sleep',
      pillar: 'Sleep',
      measure: plain ? 'Hours of sleep a night' : 'Hours asleep a night',
      value: sleep,
      max: 10,
      target: 7,
      better: 'higher',
      unit: 'h',
      targetLabel: plain ? '7 hours or more' : '7 h or more (AASM/SRS)',
    },
    {
      key: 'exercise',
      pillar: 'Exercise',
      measure: plain ? 'Active minutes a week' : 'Moderate-equivalent activity a week',
      ...aerobic,
      max: 300,
      target: 150,
      better: 'higher',
      unit: 'min',
      targetLabel: plain ? '150 minutes or more' : '150 min or more (WHO 2020)',
    },
    {
      key: 'stress',
      pillar: 'Stress',
      measure: plain ? 'How stressed you have felt (0-40)' : 'Perceived stress (PSS-10, 0-40)',
      value: numberOf(readScore(scores, 'pss10.total')),
      max: 40,
      target: 13,
      better: 'lower',
      unit: '',
      targetLabel: plain ? '13 or less' : '13 or less (low band)',
    },
    {
      key: 'diet',
      pillar: 'Diet',
      measure: 'Vegetables and fruit a day',
      value: numberOf(answers.vegetableFruitServingsPerDay),
      max: 10,
      target: 5,
      better: 'higher',
      unit: 'servings',
      targetLabel: '5 servings or more',
    },
  ];
}

/**
 * Moderate-equivalent minutes a week as WHO 2020 counts them (a vigorous
 * minute is two): the score when both parts were answered, else the parts
 * that were, as a lower bound; undefined when neither was.
 */
function aerobicMinutes(
  answers: Answers,
  scores: Readonly<Record<string, unknown>>,
): { value: number | undefined; atLeast?: boolean } {
  const scored = readScore(scores, 'who2020.aerobicEquivalentMinutes');
  if (typeof scored === 'number') return { value: scored };
  const whole = (id: string) => (typeof answers[id] === 'number' ? answers[id] : undefined);
  const moderate = weeklyMinutes(whole('moderateDays'), whole('moderateMinutesPerDay'));
  const vigorous = weeklyMinutes(whole('vigorousDays'), whole('vigorousMinutesPerDay'));
  if (moderate === undefined && vigorous === undefined) return { value: undefined };
  return { value: (moderate ?? 0) + 2 * (vigorous ?? 0), atLeast: true };
}

export type BarState = 'unanswered' | 'met' | 'short' | 'unknown';

/**
 * Where a bar stands: at target (green), short of it (amber), not answered
 * (empty), or unknown (grey: a lower bound short of the target, which the
 * blank part might make up).
 */
export function barState(bar: PillarBar): BarState {
  if (bar.value === undefined) return 'unanswered';
  const reached = bar.better === 'higher' ? bar.value >= bar.target : bar.value <= bar.target;
  if (reached) return 'met';
  return bar.atLeast ? 'unknown' : 'short';
}

const FILLS: Readonly<Record<BarState, string>> = {
  unanswered: '#ffffff',
  unknown: '#9aa4ae',
  met: '#2e7d4f',
  short: '#b25e09',
};

const WIDTH = 640;
const ROW = 46;
const LABEL = 190;
const BAR = 300;

export function pillarChartSvg(bars: readonly PillarBar[]): string {
  const height = bars.length * ROW + 10;
  const rows = bars.map((bar, i) => {
    const y = 8 + i * ROW;
    const scale = (v: number) => LABEL + (Math.min(v, bar.max) / bar.max) * BAR;
    const fill = FILLS[barState(bar)];
    const shown =
      bar.value === undefined
        ? 'not answered'
        : `${bar.atLeast ? 'at least ' : ''}${Number.isInteger(bar.value) ? bar.value : bar.value.toFixed(1)}${bar.unit ? ` ${bar.unit}` : ''}`;
    const title = `${bar.pillar}: ${shown}; target ${bar.targetLabel}`;
    return [
      `<g><title>${escapeHtml(title)}</title>`,
      `<text x="0" y="${y + 14}" class="p">${escapeHtml(bar.pillar)}</text>`,
      `<text x="0" y="${y + 30}" class="m">${escapeHtml(bar.measure)}</text>`,
      `<rect x="${LABEL}" y="${y + 4}" width="${BAR}" height="18" rx="3" fill="#eef1f4" stroke="#c7ced6"/>`,
      bar.value === undefined
        ? ''
        : `<rect x="${LABEL}" y="${y + 4}" width="${Math.max(2, scale(bar.value) - LABEL).toFixed(1)}" height="18" rx="3" fill="${fill}"/>`,
      `<line x1="${scale(bar.target).toFixed(1)}" x2="${scale(bar.target).toFixed(1)}" y1="${y}" y2="${y + 26}" stroke="#1d2330" stroke-width="2" stroke-dasharray="3 2"/>`,
      `<text x="${LABEL + BAR + 10}" y="${y + 18}" class="v">${escapeHtml(shown)}</text>`,
      `<text x="${LABEL}" y="${y + 38}" class="t">target ${escapeHtml(bar.targetLabel)}</text>`,
      '</g>',
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="Four pillars: the patient's figures against their targets">`,
    "<style>text{font-family:'Source Sans 3',sans-serif}.p{font-size:13px;font-weight:600;fill:#1d2330}.m,.t{font-size:10px;fill:#4a5263}.v{font-size:12px;font-weight:600;fill:#1d2330}</style>",
    ...rows,
    '</svg>',
  ].join('');
}
