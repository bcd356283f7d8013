import type { DiscussionPoint } from './evaluate';
import { discussFirst, pillarsOfGoals } from './discuss-first';

const point = (
  ruleId: string,
  pillar: DiscussionPoint['pillar'],
  indicator: DiscussionPoint['indicator'],
  priority: number,
): DiscussionPoint => ({
  ruleId,
  pillar,
  kind: 'concern',
  indicator,
  priority,
  summary: ruleId,
  detail: '',
  patientText: '',
  sources: [],
  why: [],
});

describe('discussFirst', () => {
  const points = [
    point('diet.a', 'diet', 'info', 90),
    point('sleep.b', 'sleep', 'warning', 50),
    point('stress.c', 'stress', 'warning', 50),
    point('exercise.d', 'exercise', 'critical', 10),
    point('diet.e', 'diet', 'warning', 70),
    point('sleep.f', 'sleep', 'info', 95),
    point('stress.g', 'stress', 'info', 20),
  ];

  it('ranks across pillars by indicator, then priority, and keeps five', () => {
    expect(discussFirst(points, new Set()).map((p) => p.ruleId)).toEqual([
      'exercise.d',
      'diet.e',
      'sleep.b',
      'stress.c',
      'sleep.f',
    ]);
  });

  it("breaks a tie with the patient's goals, never passing a higher indicator", () => {
    expect(discussFirst(points, new Set(['stress'] as const)).map((p) => p.ruleId)).toEqual([
      'exercise.d',
      'diet.e',
      'stress.c',
      'sleep.b',
      'sleep.f',
    ]);
  });

  it('returns fewer when there are fewer', () => {
    expect(discussFirst(points.slice(0, 2), new Set())).toHaveLength(2);
  });
});

describe('pillarsOfGoals', () => {
  it('maps chosen goals to pillars and ignores what it does not know', () => {
    const map = { sleep: ['sleep'], strength: ['exercise', 'diet'] } as const;
    expect([...pillarsOfGoals(['sleep', 'strength', 'unknown'], map)].sort()).toEqual([
      'diet',
      'exercise',
      'sleep',
    ]);
    expect(pillarsOfGoals(undefined, map).size).toBe(0);
  });
});
