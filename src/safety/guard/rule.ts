import type { Sentence } from './sentence';
import type { Span } from './text';

/** The rules, by the id a finding names. */
export const RULE_IDS = [
  'amount',
  'substance-action',
  'substance-schedule',
  'substance-count',
  'dose-change',
  'dose-anaphora',
  'dose-number',
  'dose-time',
  'dose-idiom',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/**
 * One rule of the guard, in its own file under ./rules. A rule looks at one
 * sentence (and, where it says so, the sentence before it) and returns the
 * spans of normalised text it refuses; the guard names the rule on each
 * finding and quotes the original text of the span.
 */
export interface GuardRule {
  readonly id: RuleId;
  find(sentence: Sentence): Span[];
}
