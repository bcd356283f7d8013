/** The four lifestyle pillars the intake covers and the points are grouped by. */
export const PILLARS = ['diet', 'exercise', 'sleep', 'stress'] as const;
export type Pillar = (typeof PILLARS)[number];
