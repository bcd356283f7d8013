/** The four lifestyle pillars the intake covers and the points are grouped by. */
export const PILLARS = ['diet', 'exercise', 'sleep', 'stress'] as const;
export type Pillar = (typeof PILLARS)[number];

/** The pillars' names on the dashboard. */
export const PILLAR_LABELS: Readonly<Record<Pillar, string>> = {
  diet: 'Diet',
  exercise: 'Exercise',
  sleep: 'Sleep',
  stress: 'Stress',
};
