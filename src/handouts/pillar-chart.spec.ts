import { scoreIntake } from '../intake/scoring';
import { pillarBars, pillarChartSvg } from './pillar-chart';

const exerciseBar = (answers: Record<string, number>) => {
  const bars = pillarBars(answers, { ...scoreIntake(answers) }, 'clinician');
  // The exercise row of the picture only.
  const svg = pillarChartSvg(bars)
    .split('<g>')
    .find((row) => row.includes('<title>Exercise'))!;
  return { bar: bars.find((b) => b.pillar === 'Exercise')!, svg };
};

describe('the four-pillar picture, exercise', () => {
  it('counts vigorous minutes when moderate ones were left blank, as a lower bound (once "not answered")', () => {
    // Nine sessions a week: 3 vigorous days of 60 minutes; moderate days given, minutes blank.
    const { bar, svg } = exerciseBar({
      vigorousDays: 3,
      vigorousMinutesPerDay: 60,
      moderateDays: 6,
    });
    expect(bar).toMatchObject({ value: 360, atLeast: true });
    expect(svg).toContain('at least 360 min');
    expect(svg).toContain('fill="#2e7d4f"'); // already past the target: green
    expect(svg).not.toContain('not answered');
  });

  it('draws a partial figure short of the target neither green nor amber: it may yet reach it', () => {
    const { svg } = exerciseBar({ vigorousDays: 1, vigorousMinutesPerDay: 30 });
    expect(svg).toContain('at least 60 min');
    expect(svg).toContain('fill="#9aa4ae"');
    expect(svg).not.toContain('fill="#b25e09"');
  });

  it('uses the WHO 2020 score when both parts were answered, and says "not answered" when neither was', () => {
    expect(
      exerciseBar({
        vigorousDays: 1,
        vigorousMinutesPerDay: 30,
        moderateDays: 2,
        moderateMinutesPerDay: 20,
      }).bar,
    ).toMatchObject({ value: 100 });
    expect(exerciseBar({}).bar.value).toBeUndefined();
    expect(exerciseBar({}).svg).toContain('not answered');
  });
});
