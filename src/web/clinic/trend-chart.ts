import { escapeHtml } from '../../common/escape-html';

/*
 * Small-multiple line charts of one patient's figures across intakes, drawn
 * here as SVG strings: no script, no fonts fetched, no <style> element (it
 * would leak into the page), every text escaped. A value the patient did not
 * give is a gap in the line and "not answered" in the data table, never a 0.
 */

export interface TrendPoint {
  /** The intake's day, YYYY-MM-DD. */
  readonly date: string;
  readonly value: number | undefined;
}

export interface TrendTarget {
  readonly value: number;
  /** Whether reaching the target means being at or above it (sleep) or at or below it (stress). */
  readonly better: 'higher' | 'lower';
  readonly label: string;
}

export interface TrendSeries {
  /** Stable and unique on the page: the SVG's element ids are made from it. */
  readonly id: string;
  readonly label: string;
  /** Printed after each value; '' for a bare score. */
  readonly unit: string;
  readonly points: readonly TrendPoint[];
  readonly target?: TrendTarget;
}

/** One line of the chart's data-table alternative. */
export interface TrendRow {
  readonly date: string;
  /** The value with its unit, or "not answered". */
  readonly value: string;
}

export interface TrendChart {
  readonly id: string;
  readonly label: string;
  /** Inline SVG, `role="img"`, safe to place in a page as it is. */
  readonly svg: string;
  /** The same figures as a table, in date order, for screen readers and print. */
  readonly rows: readonly TrendRow[];
}

export const NOT_ANSWERED = 'not answered';

const WIDTH = 360;
const HEIGHT = 230;
const PLOT = { left: 44, right: 340, top: 26, bottom: 168 } as const;
/** The baseline of the date labels, and of the target's legend under them. */
const DATE_Y = PLOT.bottom + 18;
const LEGEND_Y = HEIGHT - 12;
/** Keeps the first and last points (and their date labels) off the plot's edges. */
const INSET = 18;
/** Room one YYYY-MM-DD label needs at 11px, with a gap. */
const DATE_LABEL_ROOM = 70;

/** Text and line colours, all at least 4.5:1 on white (the target line 15:1, the data 6.6:1). */
const COLOURS = {
  ink: '#1d2330',
  soft: '#4a5263',
  data: '#1f5f8b',
  axis: '#6b7485',
  grid: '#e3e7ec',
} as const;
const FONT =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', Arial, sans-serif";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Draws one chart per series, in the order given. Pure and deterministic. */
export function trendCharts(series: readonly TrendSeries[]): TrendChart[] {
  return series.map((one) => trendChart(one));
}

export function trendChart(series: TrendSeries): TrendChart {
  const points = checkedPoints(series);
  const rows = points.map((point) => ({
    date: point.date,
    value: point.value === undefined ? NOT_ANSWERED : withUnit(point.value, series.unit),
  }));
  return { id: series.id, label: series.label, svg: svgOf(series, points), rows };
}

/** Date order (stable for intakes on the same day); throws on a malformed date or value, which is a wiring bug. */
function checkedPoints(series: TrendSeries): TrendPoint[] {
  for (const point of series.points) {
    if (!DATE.test(point.date)) {
      throw new RangeError(`${series.id}: date must be YYYY-MM-DD (got "${point.date}")`);
    }
    if (point.value !== undefined && !Number.isFinite(point.value)) {
      throw new RangeError(`${series.id}: value on ${point.date} must be a finite number`);
    }
  }
  if (series.target && !Number.isFinite(series.target.value)) {
    throw new RangeError(`${series.id}: target must be a finite number`);
  }
  return [...series.points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function svgOf(series: TrendSeries, points: readonly TrendPoint[]): string {
  const ids = elementIds(series.id);
  const values = points.flatMap((p) => (p.value === undefined ? [] : [p.value]));
  const scale = yScale(values, series.target);
  const y = (value: number): number =>
    PLOT.bottom - ((value - scale.min) / (scale.max - scale.min)) * (PLOT.bottom - PLOT.top);
  const x = (index: number): number =>
    points.length === 1
      ? (PLOT.left + PLOT.right) / 2
      : PLOT.left + INSET + (index * (PLOT.right - PLOT.left - 2 * INSET)) / (points.length - 1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" class="trend-chart" role="img" aria-labelledby="${ids.title}" aria-describedby="${ids.desc}">`,
    `<title id="${ids.title}">${escapeHtml(summaryOf(series, points))}</title>`,
    `<desc id="${ids.desc}">${escapeHtml(descriptionOf(series, points))}</desc>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<g font-family="${escapeHtml(FONT)}" font-size="12" fill="${COLOURS.soft}">`,
  ];
  if (series.unit) parts.push(`<text x="8" y="14">${escapeHtml(series.unit)}</text>`);

  // The y axis: gridlines and rounded ticks.
  for (const tick of scale.ticks) {
    const ty = fixed(y(tick));
    parts.push(
      `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${ty}" y2="${ty}" stroke="${COLOURS.grid}" stroke-width="1"/>`,
      `<text x="${PLOT.left - 8}" y="${fixed(y(tick) + 4)}" text-anchor="end">${escapeHtml(formatNumber(tick))}</text>`,
    );
  }
  parts.push(
    `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="${COLOURS.axis}" stroke-width="1"/>`,
  );

  // The x axis: a tick per intake, answered or not, in date order; date labels thinned to fit.
  points.forEach((_point, index) => {
    parts.push(
      `<line x1="${fixed(x(index))}" x2="${fixed(x(index))}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 4}" stroke="${COLOURS.axis}" stroke-width="1"/>`,
    );
  });
  const spacing = points.length > 1 ? x(1) - x(0) : 0;
  for (const index of labelledIndexes(points.length, spacing)) {
    parts.push(
      `<text x="${fixed(x(index))}" y="${DATE_Y}" text-anchor="middle" font-size="11">${escapeHtml(points[index].date)}</text>`,
    );
  }

  if (series.target) {
    const ty = fixed(y(series.target.value));
    parts.push(
      `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${ty}" y2="${ty}" stroke="${COLOURS.ink}" stroke-width="1.5" stroke-dasharray="6 4" class="trend-chart__target"/>`,
      // The legend, under the dates, so the label never covers the data.
      `<line x1="8" x2="30" y1="${LEGEND_Y - 4}" y2="${LEGEND_Y - 4}" stroke="${COLOURS.ink}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      `<text x="36" y="${LEGEND_Y}" fill="${COLOURS.ink}">${escapeHtml(`target: ${series.target.label}`)}</text>`,
    );
  }

  // The data: a line through consecutive answers only, so a blank leaves a gap; a dot on every answer.
  const runs = answeredRuns(points);
  const answered = runs.flat();
  for (const run of runs) {
    if (run.length < 2) continue;
    const d = run
      .map((point, i) => `${i === 0 ? 'M' : 'L'}${fixed(x(point.index))} ${fixed(y(point.value))}`)
      .join(' ');
    parts.push(
      `<path d="${d}" fill="none" stroke="${COLOURS.data}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" class="trend-chart__line"/>`,
    );
  }
  for (const point of answered) {
    parts.push(
      `<circle cx="${fixed(x(point.index))}" cy="${fixed(y(point.value))}" r="4.5" fill="${COLOURS.data}" stroke="#ffffff" stroke-width="1.5" class="trend-chart__dot"/>`,
    );
  }

  const last = answered.at(-1);
  if (last) {
    // The latest value, beside its dot: above it unless the line comes down into it from above.
    const before = answered.at(-2);
    const cameDown = before !== undefined && before.value > last.value;
    const above = cameDown ? y(last.value) + 20 > PLOT.bottom : y(last.value) - 10 >= 14;
    parts.push(
      `<text x="${fixed(x(last.index) + 8)}" y="${fixed(above ? y(last.value) - 10 : y(last.value) + 20)}" text-anchor="end" font-size="13" font-weight="600" fill="${COLOURS.ink}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeHtml(withUnit(last.value, series.unit))}</text>`,
    );
  } else {
    const message = points.length === 0 ? 'No intakes yet' : 'Not answered in any intake';
    parts.push(
      `<text x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" font-size="13" fill="${COLOURS.ink}">${message}</text>`,
    );
  }

  parts.push('</g>', '</svg>');
  return parts.join('');
}

export interface YScale {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

/**
 * A y scale from 0 (or below, for negative figures) that holds every value and
 * the target, with 3-6 ticks at a step of 1, 2, 2.5 or 5 times a power of ten;
 * whole steps only when every figure is whole (days, scores).
 */
export function yScale(values: readonly number[], target?: TrendTarget): YScale {
  const all = target ? [...values, target.value] : [...values];
  let low = Math.min(0, ...all);
  let high = Math.max(0, ...all);
  if (high === low) high = low + 1;
  const whole = all.every(Number.isInteger);
  const raw = (high - low) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = 10 * magnitude;
  for (const m of [5, 2.5, 2, 1]) if (m * magnitude >= raw - 1e-12) step = m * magnitude;
  if (whole) step = Math.max(1, step === 2.5 ? 2 : step);
  low = Math.floor(low / step + 1e-9) * step;
  high = Math.ceil(high / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; low + i * step <= high + step / 1e6; i++) ticks.push(round(low + i * step));
  return { min: round(low), max: round(high), ticks };
}

/**
 * Indexes of the points whose dates are printed: every one when they fit,
 * else every k-th from the first, always with the last (which takes the
 * place of the one before it when the two would touch).
 */
function labelledIndexes(count: number, spacing: number): number[] {
  if (count === 0) return [];
  const every = count === 1 ? 1 : Math.max(1, Math.ceil(DATE_LABEL_ROOM / spacing));
  const picked: number[] = [];
  for (let index = 0; index < count; index += every) picked.push(index);
  const last = count - 1;
  const before = picked[picked.length - 1];
  if (before !== last) {
    if (last - before < every && picked.length > 1) picked.pop();
    picked.push(last);
  }
  return picked;
}

interface Answered {
  readonly index: number;
  readonly value: number;
}

/** Runs of consecutive answered points, with their positions. */
function answeredRuns(points: readonly TrendPoint[]): Answered[][] {
  const runs: Answered[][] = [];
  let current: Answered[] = [];
  points.forEach(({ value }, index) => {
    if (value === undefined) {
      if (current.length) runs.push(current);
      current = [];
    } else current.push({ index, value });
  });
  if (current.length) runs.push(current);
  return runs;
}

function summaryOf(series: TrendSeries, points: readonly TrendPoint[]): string {
  const target = series.target ? `; target ${series.target.label}` : '';
  if (points.length === 0) return `${series.label}: no intakes yet${target}`;
  const answered = answeredRuns(points).flat();
  const span =
    points.length === 1
      ? `1 intake, ${points[0].date}`
      : `${points.length} intakes from ${points[0].date} to ${points[points.length - 1].date}`;
  const last = answered[answered.length - 1];
  const verdict =
    !last || !series.target
      ? ''
      : meets(last.value, series.target)
        ? ' (meets the target)'
        : ' (does not meet the target)';
  const latest = last
    ? `latest ${withUnit(last.value, series.unit)} on ${points[last.index].date}${verdict}`
    : 'not answered in any';
  const blanks = points.length - answered.length;
  const blankText = blanks > 0 && answered.length > 0 ? `; not answered in ${blanks}` : '';
  return `${series.label}: ${span}, ${latest}${blankText}${target}`;
}

function meets(value: number, target: TrendTarget): boolean {
  return target.better === 'higher' ? value >= target.value : value <= target.value;
}

function descriptionOf(series: TrendSeries, points: readonly TrendPoint[]): string {
  if (points.length === 0) return 'No values.';
  return `${points
    .map(
      (p) => `${p.date}: ${p.value === undefined ? NOT_ANSWERED : withUnit(p.value, series.unit)}`,
    )
    .join('; ')}.`;
}

/** Element ids from the series id: letters, digits and dashes only, so they are safe in attributes. */
function elementIds(id: string): { title: string; desc: string } {
  const safe = id.replace(/[^A-Za-z0-9-]+/g, '-') || 'series';
  return { title: `trend-${safe}-title`, desc: `trend-${safe}-desc` };
}

function withUnit(value: number, unit: string): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** At most two decimals, trailing zeros dropped: 7, 6.5, 7.14. */
export function formatNumber(value: number): string {
  const text = String(round(Number(value.toFixed(2))));
  return text === '-0' ? '0' : text;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function fixed(value: number): string {
  return value.toFixed(1);
}
