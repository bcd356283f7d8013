import { z } from 'zod';
import { PROTOCOLS } from '../../common/protocol';
import { PILLARS } from '../../common/pillar';

/*
 * The shape of the rule files (src/content/rules/*.json). Checked with zod
 * when the content loads; further checks that need the questionnaire, the
 * scores and the article rows are in ../check-knowledge-base.ts.
 */

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const list = z.array(z.union([z.string(), z.number()])).min(1);

/** The comparisons a leaf may make; exactly one per leaf. */
const operators = {
  eq: scalar.optional(),
  neq: scalar.optional(),
  in: list.optional(),
  notIn: list.optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  gt: z.number().optional(),
  gte: z.number().optional(),
  includes: z.string().optional(),
  excludes: z.string().optional(),
  /**
   * Whether the answer or score is blank. The one test that is never
   * unknown: it lets a rule say "when left blank" or "when given".
   */
  blank: z.boolean().optional(),
};
export const OPERATORS = Object.keys(operators) as (keyof typeof operators)[];
export type Operator = (typeof OPERATORS)[number];

const oneOperator = (leaf: Record<string, unknown>): boolean =>
  OPERATORS.filter((op) => leaf[op] !== undefined).length === 1;
const ONE_OPERATOR = { message: `a condition needs exactly one of ${OPERATORS.join(', ')}` };

const answerLeaf = z
  .strictObject({ answer: z.string(), ...operators })
  .refine(oneOperator, ONE_OPERATOR);
const scoreLeaf = z
  .strictObject({ score: z.string(), ...operators })
  .refine(oneOperator, ONE_OPERATOR);

export type Comparison = Partial<{
  eq: string | number | boolean;
  neq: string | number | boolean;
  in: (string | number)[];
  notIn: (string | number)[];
  lt: number;
  lte: number;
  gt: number;
  gte: number;
  includes: string;
  excludes: string;
  blank: boolean;
}>;
export type AnswerLeaf = { answer: string } & Comparison;
export type ScoreLeaf = { score: string } & Comparison;
export type Leaf = AnswerLeaf | ScoreLeaf;
export type Condition = Leaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
    answerLeaf,
    scoreLeaf,
  ]),
);

export const INDICATORS = ['info', 'warning', 'critical'] as const;
export type Indicator = (typeof INDICATORS)[number];
/** How a point's indicator reads on the page and in the handout. */
export const INDICATOR_LABELS: Readonly<Record<Indicator, string>> = {
  critical: 'Priority',
  warning: 'Discuss',
  info: 'Note',
};

export const ruleSchema = z.strictObject({
  /** Stable, dotted, e.g. `diet.sugary-drinks`; never reused for another meaning. */
  id: z.string().regex(/^[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+$/),
  pillar: z.enum(PILLARS),
  /** A concern to discuss, or a strength: something the patient already does well. */
  kind: z.enum(['concern', 'strength']),
  /** The protocols it applies to; `all` for every protocol. */
  protocols: z.union([z.literal('all'), z.array(z.enum(PROTOCOLS)).min(1)]),
  when: conditionSchema,
  /** 1-100; higher is discussed first within the same indicator. */
  priority: z.number().int().min(1).max(100),
  indicator: z.enum(INDICATORS),
  clinician: z.strictObject({
    /** CDS Hooks card summary: under 140 characters. */
    summary: z.string().min(10).max(139),
    /** The mechanism, paraphrased in the product's own words. */
    detail: z.string().min(40).max(1200),
  }),
  /** Plain language for the patient's take-home version: no jargon. */
  patient: z.string().min(20).max(600),
  sources: z.array(z.strictObject({ row: z.string() })).min(1),
  /**
   * Where the condition uses a threshold or a reading the cited rows do not
   * give (a cut-off, a screen, a band), what the product added and why. Shown
   * on the knowledge page beside the rule.
   */
  productThreshold: z.string().min(20).optional(),
  /**
   * Points of one group that fire together print as one point listing them
   * (the anecdotal evening-routine habits), so a heavy intake reads as one
   * topic, not seven.
   */
  group: z.enum(['evening-routine']).optional(),
});

export type Rule = z.infer<typeof ruleSchema>;

export const ruleFileSchema = z.strictObject({ rules: z.array(ruleSchema) });

export const rulesetFileSchema = z.strictObject({
  /** Bumped whenever a rule, text or threshold changes; stored with every assessment. */
  version: z.string().regex(/^\d{4}-\d{2}\.\d+$/),
  /** Rows deliberately not mapped to any rule, with the reason. */
  notMapped: z.array(z.strictObject({ row: z.string(), reason: z.string().min(20) })),
  /**
   * Claims of the articles that are contested: a rule text that names one
   * must attribute it to its source ("the article proposes ..."), never state
   * it as fact.
   */
  contested: z.array(z.strictObject({ term: z.string().min(3), reason: z.string().min(20) })),
  /**
   * Why a pillar's bar can be below its target with no concern for a
   * protocol: the articles give that protocol no row on it. Printed beside
   * the picture when it happens, so an amber bar is never left unexplained.
   */
  /**
   * The pillars each goal of the first step bears on: the guide's "Discuss
   * first" ranks a point up when its pillar is one of the patient's goals.
   */
  goalPillars: z.record(z.string(), z.array(z.enum(PILLARS)).min(1)),
  /**
   * Screens the clinician should see although no article row lets them make
   * a point for this protocol (a positive AUDIT-C on estradiol): one line in
   * the guide, never in the patient's notes, saying what fired and why there
   * is no point.
   */
  screenNotes: z.array(
    z.strictObject({
      id: z.string().regex(/^note(\.[a-z0-9]+(-[a-z0-9]+)*)+$/),
      protocols: z.union([z.literal('all'), z.array(z.enum(PROTOCOLS)).min(1)]),
      when: conditionSchema,
      summary: z.string().min(10).max(139),
      detail: z.string().min(40).max(600),
    }),
  ),
  barNotes: z.array(
    z.strictObject({
      pillar: z.enum(PILLARS),
      protocols: z.array(z.enum(PROTOCOLS)).min(1),
      clinician: z.string().min(20).max(400),
      patient: z.string().min(20).max(300),
    }),
  ),
});

export function leavesOf(condition: Condition): Leaf[] {
  if ('all' in condition) return condition.all.flatMap(leavesOf);
  if ('any' in condition) return condition.any.flatMap(leavesOf);
  if ('not' in condition) return leavesOf(condition.not);
  return [condition];
}

export function operatorOf(leaf: Comparison): { op: keyof Comparison; operand: unknown } {
  const op = OPERATORS.find((name) => leaf[name] !== undefined);
  if (!op) throw new Error('A leaf without an operator passed the schema');
  return { op, operand: leaf[op] };
}
export type RulesetFile = z.infer<typeof rulesetFileSchema>;
