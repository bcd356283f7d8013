import type { Pillar } from '../common/pillar';
import type { Indicator } from '../content/schema/rules.schema';
import type { DiscussionPoint } from './evaluate';

/** At most this many points open the guide: what fits the start of a ten-minute visit. */
export const DISCUSS_FIRST_LIMIT = 5;

const SEVERITY: Readonly<Record<Indicator, number>> = { critical: 0, warning: 1, info: 2 };

/**
 * The concerns to raise first, ranked across pillars: by indicator, then
 * priority, then whether the point's pillar is one the patient named among
 * their goals (a tie-break, never a reason to pass a higher indicator), then
 * id so the order is stable. At most DISCUSS_FIRST_LIMIT.
 */
export function discussFirst(
  concerns: readonly DiscussionPoint[],
  goalPillars: ReadonlySet<Pillar>,
  limit = DISCUSS_FIRST_LIMIT,
): DiscussionPoint[] {
  return [...concerns]
    .sort(
      (a, b) =>
        SEVERITY[a.indicator] - SEVERITY[b.indicator] ||
        b.priority - a.priority ||
        Number(goalPillars.has(b.pillar)) - Number(goalPillars.has(a.pillar)) ||
        a.ruleId.localeCompare(b.ruleId),
    )
    .slice(0, limit);
}

/** The pillars the patient's goals (from the first step) bear on, as the content maps them. */
export function pillarsOfGoals(
  goals: unknown,
  map: Readonly<Record<string, readonly Pillar[]>>,
): Set<Pillar> {
  const chosen = Array.isArray(goals)
    ? goals.filter((g): g is string => typeof g === 'string')
    : [];
  return new Set(chosen.flatMap((goal) => map[goal] ?? []));
}
