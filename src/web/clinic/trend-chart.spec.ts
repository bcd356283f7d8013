import { findDosingAdvice } from '../../safety/dosing-guard';
import { NOT_ANSWERED, trendChart, trendCharts, TrendSeries, yScale } from './trend-chart';

const sleep = (values: (number | undefined)[], extra: Partial<TrendSeries> = {}): TrendSeries => ({
  id: 'sleep-hours',
  label: 'Sleep, hours a night',
  unit: 'h',
  points: values.map((value, i) => ({ date: `2026-0${i + 1}-15`, value })),
  target: { value: 7, better: 'higher', label: '7 h or more' },
  ...extra,
});

const circles = (svg: string) =>
  [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({
    cx: Number(m[1]),
    cy: Number(m[2]),
  }));
const paths = (svg: string) =>
  [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1].split(/(?=[ML])/).map((s) => s.trim()));
const dateLabels = (svg: string) =>
  [...svg.matchAll(/>(\d{4}-\d{2}-\d{2})<\/text>/g)].map((m) => m[1]);

describe('trendChart', () => {
  it('escapes hostile labels, units, target labels and ids everywhere they appear', () => {
    const hostile = '<script>alert("x")</script> & \'q\'';
    const chart = trendChart({
      id: '"><img src=x onerror=alert(1)>',
      label: hostile,
      unit: '</text><script>',
      points: [{ date: '2026-01-01', value: 3 }],
      target: { value: 5, better: 'higher', label: hostile },
    });
    expect(chart.svg).not.toMatch(/<script|<img|onerror=alert\(1\)>/);
    expect(chart.svg).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;',
    );
    expect(chart.svg).toContain('&lt;/text&gt;&lt;script&gt;');
    // Every id and reference is made of safe characters only.
    for (const [, id] of chart.svg.matchAll(/(?:id|aria-labelledby|aria-describedby)="([^"]*)"/g)) {
      expect(id).toMatch(/^[A-Za-z0-9-]+$/);
    }
    // The label itself is returned as data, for the page's own (escaping) template.
    expect(chart.label).toBe(hostile);
  });

  it('is an accessible image with a title it is labelled by, a fixed viewBox and no script or style', () => {
    const { svg } = trendChart(sleep([6, 6.5, 7.25]));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 360 230" /);
    expect(svg).toContain('width="100%"');
    expect(svg).toContain('role="img"');
    const labelledBy = /aria-labelledby="([^"]+)"/.exec(svg)?.[1];
    expect(labelledBy).toBe('trend-sleep-hours-title');
    expect(svg).toContain(
      `<title id="${labelledBy}">Sleep, hours a night: 3 intakes from 2026-01-15 to 2026-03-15, latest 7.25 h on 2026-03-15 (meets the target); target 7 h or more</title>`,
    );
    expect(svg).toContain(
      '<desc id="trend-sleep-hours-desc">2026-01-15: 6 h; 2026-02-15: 6.5 h; 2026-03-15: 7.25 h.</desc>',
    );
    expect(svg).not.toMatch(/<script|<style|href=|@import|url\(/);
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('leaves a gap for an unanswered intake: no line through it, no dot, never a zero', () => {
    const chart = trendChart(sleep([6, undefined, 7, 8]));
    expect(chart.rows).toEqual([
      { date: '2026-01-15', value: '6 h' },
      { date: '2026-02-15', value: NOT_ANSWERED },
      { date: '2026-03-15', value: '7 h' },
      { date: '2026-04-15', value: '8 h' },
    ]);
    const dots = circles(chart.svg);
    expect(dots).toHaveLength(3);
    // The 0 line is the plot's bottom (168): nothing is drawn there.
    expect(dots.every((dot) => dot.cy < 168)).toBe(true);
    // One line, through the last two answers only: the first answer stands alone as a dot.
    const lines = paths(chart.svg);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual([
      `M${dots[1].cx.toFixed(1)} ${dots[1].cy.toFixed(1)}`,
      `L${dots[2].cx.toFixed(1)} ${dots[2].cy.toFixed(1)}`,
    ]);
    expect(chart.svg).toContain('latest 8 h on 2026-04-15 (meets the target); not answered in 1;');
    expect(trendChart(sleep([8, 6.5])).svg).toContain('latest 6.5 h on 2026-02-15 (does not meet');
    const stress = { value: 13, better: 'lower' as const, label: '13 or less' };
    expect(trendChart(sleep([20], { target: stress })).svg).toContain('(does not meet the target)');
    expect(trendChart(sleep([13], { target: stress })).svg).toContain('(meets the target)');
    // The unanswered intake keeps its place on the x axis.
    expect(dateLabels(chart.svg)).toEqual(['2026-01-15', '2026-02-15', '2026-03-15', '2026-04-15']);
  });

  it('draws no line at all when answers are never next to each other', () => {
    const { svg } = trendChart(sleep([6, undefined, 7]));
    expect(paths(svg)).toEqual([]);
    expect(circles(svg)).toHaveLength(2);
  });

  it('draws a single answer as a dot in the middle, with its value', () => {
    const chart = trendChart(sleep([6.5]));
    expect(paths(chart.svg)).toEqual([]);
    expect(circles(chart.svg)).toEqual([{ cx: 192, cy: expect.any(Number) }]);
    expect(chart.svg).toContain('>6.5 h</text>');
    expect(chart.rows).toEqual([{ date: '2026-01-15', value: '6.5 h' }]);
  });

  it('says so when there is nothing to draw', () => {
    expect(trendChart(sleep([])).svg).toContain('>No intakes yet</text>');
    const blank = trendChart(sleep([undefined, undefined]));
    expect(blank.svg).toContain('>Not answered in any intake</text>');
    expect(circles(blank.svg)).toEqual([]);
    expect(blank.rows.map((r) => r.value)).toEqual([NOT_ANSWERED, NOT_ANSWERED]);
  });

  it('draws the target as a dashed line with its label, inside the scale even when every value is below it', () => {
    const { svg } = trendChart(
      sleep([1, 2], { target: { value: 7, better: 'higher', label: '7 h or more' } }),
    );
    const line =
      /<line [^>]*y1="([\d.]+)"[^>]*stroke-dasharray="6 4" class="trend-chart__target"\/>/.exec(
        svg,
      );
    expect(line).not.toBeNull();
    const y = Number(line?.[1]);
    expect(y).toBeGreaterThanOrEqual(26);
    expect(y).toBeLessThan(168);
    expect(svg).toContain('>target: 7 h or more</text>');
    // Above both points: a higher value is drawn higher.
    expect(circles(svg).every((dot) => dot.cy > y)).toBe(true);
  });

  it('is deterministic, and orders by date whatever the input order', () => {
    const series = sleep([6, undefined, 7.5, 8]);
    const reversed = { ...series, points: [...series.points].reverse() };
    expect(trendChart(series)).toEqual(trendChart(series));
    expect(trendChart(reversed)).toEqual(trendChart(series));
  });

  it('thins the date labels to fit, keeping the first and last', () => {
    const points = Array.from({ length: 12 }, (_, i) => ({
      date: `2026-${String(i + 1).padStart(2, '0')}-01`,
      value: i,
    }));
    const labels = dateLabels(trendChart({ id: 'n', label: 'N', unit: '', points }).svg);
    expect(labels).toEqual(['2026-01-01', '2026-04-01', '2026-07-01', '2026-12-01']);
  });

  it('refuses a malformed date or a value that is not a number (a wiring bug)', () => {
    expect(() => trendChart(sleep([6], { points: [{ date: '15/01/2026', value: 6 }] }))).toThrow(
      RangeError,
    );
    expect(() => trendChart(sleep([Number.NaN]))).toThrow(/finite/);
  });

  it('returns one chart per series, in order', () => {
    const charts = trendCharts([sleep([6]), { ...sleep([7]), id: 'other', label: 'Other' }]);
    expect(charts.map((c) => [c.id, c.label])).toEqual([
      ['sleep-hours', 'Sleep, hours a night'],
      ['other', 'Other'],
    ]);
  });

  it('writes no dosing advice in its own words', () => {
    const { svg } = trendChart(sleep([6, undefined, 7]));
    const text = svg.replace(/<[^>]+>/g, ' ');
    expect(findDosingAdvice(text)).toEqual([]);
  });
});

describe('yScale', () => {
  it('starts at 0 and rounds to steps of 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(yScale([5.5, 6, 7.25], { value: 7, better: 'higher', label: '' })).toEqual({
      min: 0,
      max: 8,
      ticks: [0, 2, 4, 6, 8],
    });
    expect(yScale([400, 1386.5])).toEqual({ min: 0, max: 1500, ticks: [0, 500, 1000, 1500] });
    expect(yScale([0.2, 0.9])).toEqual({ min: 0, max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] });
  });

  it('uses whole steps when every figure is whole', () => {
    expect(yScale([0, 1, 3], { value: 2, better: 'higher', label: '' }).ticks).toEqual([
      0, 1, 2, 3,
    ]);
    expect(yScale([4, 9]).ticks).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('includes the target, above or below the values', () => {
    expect(yScale([1, 2], { value: 13, better: 'lower', label: '' }).max).toBeGreaterThanOrEqual(
      13,
    );
    expect(yScale([-3, 2]).min).toBeLessThanOrEqual(-3);
  });

  it('has a usable range when every value is 0 or there are none', () => {
    expect(yScale([0, 0])).toEqual({ min: 0, max: 1, ticks: [0, 1] });
    expect(yScale([])).toEqual({ min: 0, max: 1, ticks: [0, 1] });
  });
});
