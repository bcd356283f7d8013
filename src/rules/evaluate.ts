import type { Pillar } from '../common/pillar';
import type { Protocol } from '../common/protocol';
import { quantity } from '../common/quantity';
import { displayAnswer } from '../intake/questionnaire/answers';
import { pillarCoverage, thinPillars } from '../intake/questionnaire/coverage';
import type { Answers, Question, Questionnaire } from '../content/schema/questionnaire.schema';
import { ArticleId, RowRef, SourceRow } from '../content/schema/articles.schema';
import type { KnowledgeBase } from '../content/check-knowledge-base';
import { Condition, Indicator, Leaf, operatorOf, Rule } from '../content/schema/rules.schema';
import { isScorePath, readScore, SCORE_PATHS } from '../content/score-paths';

/*
 * The rules engine: answers, scores and protocol in, an assessment out. Pure
 * and deterministic; no Nest, no I/O, no clock. Conditions use three-valued
 * logic: a leaf on an unanswered question or an unscored instrument is
 * unknown, and a rule fires only when its condition is definitely true, so
 * a blank answer never makes a point.
 */

export interface Why {
  readonly kind: 'answer' | 'score';
  /** Question id or score path. */
  readonly ref: string;
  readonly label: string;
  /** The patient's answer or score, as a person reads it. */
  readonly value: string;
  /** The threshold or test it met, e.g. "is below 7"; empty when the value says it (a yes/no score). */
  readonly test: string;
}

export interface PointSource {
  readonly row: string;
  readonly article: ArticleId;
  readonly articleTitle: string;
  readonly table: string;
  readonly tableTitle: string;
  readonly rowLabel: string;
  readonly evidence: 'clinical-education article' | 'anecdotal practice';
}

/** One discussion point, shaped like an HL7 CDS Hooks card (with no suggested actions). */
export interface DiscussionPoint {
  readonly ruleId: string;
  readonly pillar: Pillar;
  readonly kind: 'concern' | 'strength';
  readonly indicator: Indicator;
  readonly priority: number;
  readonly summary: string;
  readonly detail: string;
  readonly patientText: string;
  readonly sources: readonly PointSource[];
  readonly why: readonly Why[];
}

export interface AssessmentResult {
  readonly rulesetVersion: string;
  readonly questionnaireVersion: string;
  readonly protocol: Protocol;
  /** Concerns first (critical, warning, info; then priority), then strengths by priority. */
  readonly points: readonly DiscussionPoint[];
  /** The article rows the fired points rest on, by `article:table`. */
  readonly rowsMatched: Readonly<Record<string, readonly string[]>>;
  /** Pillars with a warning or critical concern. */
  readonly flaggedPillars: readonly Pillar[];
  /** Pillars with too few answers and no point: not assessed, never "no concerns". */
  readonly thinPillars: readonly Pillar[];
  /**
   * Screens that fired with no article row to make a point of them for this
   * protocol: for the clinician only. Absent on assessments made before
   * ruleset 2026-12.1.
   */
  readonly screenNotes?: readonly ScreenNote[];
}

export interface ScreenNote {
  readonly id: string;
  readonly summary: string;
  readonly detail: string;
  readonly why: readonly Why[];
}

export interface EvaluationInput {
  readonly questionnaire: Questionnaire;
  readonly answers: Answers;
  readonly scores: Readonly<Record<string, unknown>>;
  readonly protocol: Protocol;
}

type Truth = true | false | undefined;
interface Outcome {
  readonly truth: Truth;
  readonly why: readonly Why[];
}

const SEVERITY: Readonly<Record<Indicator, number>> = { critical: 0, warning: 1, info: 2 };

export function evaluate(kb: KnowledgeBase, input: EvaluationInput): AssessmentResult {
  const questions = questionIndex(input.questionnaire);
  const fired: { rule: Rule; point: DiscussionPoint }[] = [];
  for (const rule of kb.rules) {
    if (rule.protocols !== 'all' && !rule.protocols.includes(input.protocol)) continue;
    const outcome = test(rule.when, input, questions, false);
    if (outcome.truth === true) fired.push({ rule, point: pointOf(kb, rule, outcome.why) });
  }
  const points = grouped(fired);
  points.sort(
    (a, b) =>
      Number(a.kind === 'strength') - Number(b.kind === 'strength') ||
      SEVERITY[a.indicator] - SEVERITY[b.indicator] ||
      b.priority - a.priority ||
      a.ruleId.localeCompare(b.ruleId),
  );

  const rowsMatched: Record<string, string[]> = {};
  for (const source of points.flatMap((p) => p.sources)) {
    const key = `${source.article}:${source.table}`;
    const rows = (rowsMatched[key] ??= []);
    if (!rows.includes(source.row)) rows.push(source.row);
  }
  const screenNotes: ScreenNote[] = [];
  for (const note of kb.screenNotes) {
    if (note.protocols !== 'all' && !note.protocols.includes(input.protocol)) continue;
    const outcome = test(note.when, input, questions, false);
    if (outcome.truth === true) {
      screenNotes.push({
        id: note.id,
        summary: note.summary,
        detail: note.detail,
        why: dedupe(outcome.why),
      });
    }
  }
  const coverage = pillarCoverage(input.questionnaire, input.answers, input.protocol);
  const flagged = new Set(
    points.filter((p) => p.kind === 'concern' && p.indicator !== 'info').map((p) => p.pillar),
  );
  return {
    rulesetVersion: kb.version,
    questionnaireVersion: input.questionnaire.version,
    protocol: input.protocol,
    points,
    rowsMatched,
    thinPillars: thinPillars(
      coverage,
      new Set(points.filter((p) => p.kind === 'concern').map((p) => p.pillar)),
    ),
    flaggedPillars: (['diet', 'exercise', 'sleep', 'stress'] as const).filter((p) =>
      flagged.has(p),
    ),
    screenNotes,
  };
}

function test(
  condition: Condition,
  input: EvaluationInput,
  questions: QuestionIndex,
  negated: boolean,
): Outcome {
  if ('all' in condition) {
    const parts = condition.all.map((c) => test(c, input, questions, negated));
    if (parts.some((p) => p.truth === false)) return { truth: false, why: [] };
    if (parts.some((p) => p.truth === undefined)) return { truth: undefined, why: [] };
    return { truth: true, why: parts.flatMap((p) => p.why) };
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => test(c, input, questions, negated));
    const met = parts.filter((p) => p.truth === true);
    if (met.length > 0) return { truth: true, why: met.flatMap((p) => p.why) };
    return { truth: parts.some((p) => p.truth === undefined) ? undefined : false, why: [] };
  }
  if ('not' in condition) {
    const inner = testNegated(condition.not, input, questions, !negated);
    return { truth: inner.truth === undefined ? undefined : !inner.truth, why: inner.why };
  }
  return testLeaf(condition, input, questions, negated);
}

/** Evaluates the inside of a `not`, collecting why-lines for the parts that made it false. */
function testNegated(
  condition: Condition,
  input: EvaluationInput,
  questions: QuestionIndex,
  negated: boolean,
): Outcome {
  const outcome = test(condition, input, questions, negated);
  if (outcome.truth !== false) return { truth: outcome.truth, why: [] };
  return { truth: false, why: falseLeaves(condition, input, questions, negated) };
}

function falseLeaves(
  condition: Condition,
  input: EvaluationInput,
  questions: QuestionIndex,
  negated: boolean,
): Why[] {
  if ('all' in condition || 'any' in condition) {
    const parts = 'all' in condition ? condition.all : condition.any;
    return parts.flatMap((c) =>
      test(c, input, questions, negated).truth === false
        ? falseLeaves(c, input, questions, negated)
        : [],
    );
  }
  if ('not' in condition) return [...test(condition.not, input, questions, !negated).why];
  return [...testLeaf(condition, input, questions, negated).why];
}

function testLeaf(
  leaf: Leaf,
  input: EvaluationInput,
  questions: QuestionIndex,
  negated: boolean,
): Outcome {
  const { op, operand } = operatorOf(leaf);
  let value: unknown;
  let label: string;
  let shown: (v: unknown) => string;
  let ref: string;
  if ('answer' in leaf) {
    const question = questions.get(leaf.answer);
    if (!question) return { truth: undefined, why: [] };
    value = input.answers[leaf.answer];
    label = question.label;
    ref = leaf.answer;
    shown = (v) => displayAnswer(question, v as never) ?? String(v);
  } else {
    if (!isScorePath(leaf.score)) return { truth: undefined, why: [] };
    value = readScore(input.scores, leaf.score);
    const score = SCORE_PATHS[leaf.score];
    label = score.label;
    ref = leaf.score;
    shown = (v) =>
      typeof v === 'boolean'
        ? v
          ? 'yes'
          : 'no'
        : 'unit' in score
          ? quantity(v as number, score.unit)
          : String(v);
  }
  if (op === 'blank') {
    const truth = (value === undefined) === operand;
    const passed = negated ? !truth : truth;
    const blank = value === undefined;
    const why: Why = {
      kind: 'answer' in leaf ? 'answer' : 'score',
      ref,
      label,
      value: blank
        ? 'left blank'
        : Array.isArray(value) && value.length === 0
          ? 'none'
          : shown(value),
      test: '',
    };
    return { truth, why: passed ? [why] : [] };
  }
  if (value === undefined) return { truth: undefined, why: [] };

  const truth = compare(op, value, operand);
  if (truth === undefined) return { truth, why: [] };
  const passed = negated ? !truth : truth;
  const why: Why = {
    kind: 'answer' in leaf ? 'answer' : 'score',
    ref,
    label,
    value: Array.isArray(value) && value.length === 0 ? 'none' : shown(value),
    test: describeTest(op, operand, shown, negated),
  };
  return { truth, why: passed ? [why] : [] };
}

function compare(op: string, value: unknown, operand: unknown): Truth {
  switch (op) {
    case 'eq':
      return value === operand;
    case 'neq':
      return value !== operand;
    case 'in':
      return (operand as unknown[]).includes(value);
    case 'notIn':
      return !(operand as unknown[]).includes(value);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (typeof value !== 'number') return undefined;
      const limit = operand as number;
      return op === 'lt'
        ? value < limit
        : op === 'lte'
          ? value <= limit
          : op === 'gt'
            ? value > limit
            : value >= limit;
    }
    case 'includes':
    case 'excludes':
      if (!Array.isArray(value)) return undefined;
      return op === 'includes' ? value.includes(operand) : !value.includes(operand);
    default:
      return undefined;
  }
}

function describeTest(
  op: string,
  operand: unknown,
  shown: (v: unknown) => string,
  negated: boolean,
): string {
  // "AUDIT-C screen positive: yes" says it all; "(is yes)" would only repeat it.
  if (typeof operand === 'boolean' && (op === 'eq' || op === 'neq')) return '';
  const list = () => (operand as unknown[]).map(shown).join(', ');
  const [plain, inverted] = ((): [string, string] => {
    switch (op) {
      case 'eq':
        return [`is ${shown(operand)}`, `is not ${shown(operand)}`];
      case 'neq':
        return [`is not ${shown(operand)}`, `is ${shown(operand)}`];
      case 'in':
        return [`is one of: ${list()}`, `is none of: ${list()}`];
      case 'notIn':
        return [`is none of: ${list()}`, `is one of: ${list()}`];
      case 'lt':
        return [`is below ${String(operand)}`, `is ${String(operand)} or more`];
      case 'lte':
        return [`is at most ${String(operand)}`, `is above ${String(operand)}`];
      case 'gt':
        return [`is above ${String(operand)}`, `is at most ${String(operand)}`];
      case 'gte':
        return [`is ${String(operand)} or more`, `is below ${String(operand)}`];
      case 'includes':
        return [`includes ${String(operand)}`, `does not include ${String(operand)}`];
      default:
        return [`does not include ${String(operand)}`, `includes ${String(operand)}`];
    }
  })();
  return negated ? inverted : plain;
}

/** The id of the one point a group's members print as. */
export const GROUP_POINT_IDS = { 'evening-routine': 'sleep.evening-routine' } as const;

/**
 * Points of a group that fire together become one point listing them, so
 * the anecdotal evening-routine habits read as one topic, not seven. One
 * member alone stays as it is.
 */
function grouped(fired: readonly { rule: Rule; point: DiscussionPoint }[]): DiscussionPoint[] {
  const members = fired.filter((f) => f.rule.group === 'evening-routine').map((f) => f.point);
  const rest = fired.filter((f) => f.rule.group !== 'evening-routine').map((f) => f.point);
  if (members.length < 2) return [...rest, ...members];
  members.sort((a, b) => b.priority - a.priority || a.ruleId.localeCompare(b.ruleId));
  const sources = new Map(members.flatMap((m) => m.sources).map((s) => [s.row, s]));
  return [
    ...rest,
    {
      ruleId: GROUP_POINT_IDS['evening-routine'],
      pillar: 'sleep',
      kind: 'concern',
      indicator: 'info',
      priority: members[0].priority,
      summary: `Evening routine: ${members.length} habits a wind-down routine addresses`,
      detail: `From an anecdotal practice list, not clinical evidence: ${members.map((m) => m.summary.replace(/\.$/, '')).join('; ')}.`,
      patientText: members.map((m) => m.patientText).join(' '),
      sources: [...sources.values()],
      why: dedupe(members.flatMap((m) => m.why)),
    },
  ];
}

function pointOf(kb: KnowledgeBase, rule: Rule, why: readonly Why[]): DiscussionPoint {
  return {
    ruleId: rule.id,
    pillar: rule.pillar,
    kind: rule.kind,
    indicator: rule.indicator,
    priority: rule.priority,
    summary: rule.clinician.summary,
    detail: rule.clinician.detail,
    patientText: rule.patient,
    sources: rule.sources.map((s) => sourceOf(kb.rows.get(s.row as RowRef)!)),
    why: dedupe(why),
  };
}

/**
 * One line per answer or score: a condition that tests the same answer more
 * than once ("at least 1 and below 3") reads as one line with both tests,
 * never the same answer repeated.
 */
function dedupe(why: readonly Why[]): Why[] {
  const byRef = new Map<string, Why>();
  for (const line of why) {
    const seen = byRef.get(line.ref);
    if (!seen) byRef.set(line.ref, line);
    else if (line.test && !seen.test.split(' and ').includes(line.test)) {
      byRef.set(line.ref, {
        ...seen,
        test: seen.test ? `${seen.test} and ${line.test}` : line.test,
      });
    }
  }
  return [...byRef.values()];
}

type QuestionIndex = ReadonlyMap<string, Question>;
const INDEXES = new WeakMap<Questionnaire, QuestionIndex>();

function questionIndex(questionnaire: Questionnaire): QuestionIndex {
  let index = INDEXES.get(questionnaire);
  if (!index) {
    index = new Map(questionnaire.sections.flatMap((s) => s.questions).map((q) => [q.id, q]));
    INDEXES.set(questionnaire, index);
  }
  return index;
}

function sourceOf({ ref, article, table, row }: SourceRow): PointSource {
  return {
    row: ref,
    article: article.id,
    articleTitle: article.title,
    table: table.id,
    tableTitle: table.title,
    rowLabel: row.label,
    evidence: article.evidence,
  };
}
