import { z } from 'zod';
import { PILLARS } from '../common/pillar';
import { PROTOCOLS, Protocol } from '../common/protocol';
import { findDosingAdvice } from '../safety/dosing-guard';
import { RowRef, SourceRow } from './schema/articles.schema';
import { Question, Questionnaire, YES_NO_UNSURE } from './schema/questionnaire.schema';
import {
  Leaf,
  leavesOf,
  operatorOf,
  Rule,
  ruleFileSchema,
  RulesetFile,
  rulesetFileSchema,
} from './schema/rules.schema';
import { isScorePath, SCORE_PATHS } from './score-paths';

export interface NotMappedRow {
  readonly row: string;
  readonly reason: string;
}

/** The rules as data, checked: safe to evaluate. */
export interface KnowledgeBase {
  readonly version: string;
  readonly rules: readonly Rule[];
  readonly notMapped: readonly NotMappedRow[];
  readonly barNotes: RulesetFile['barNotes'];
  readonly goalPillars: RulesetFile['goalPillars'];
  readonly screenNotes: RulesetFile['screenNotes'];
  /** The rows rules cite, resolved: a point's sources. */
  readonly rows: ReadonlyMap<RowRef, SourceRow>;
}

export class KnowledgeBaseError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The knowledge base is not valid (${problems.length}):\n  ${problems.join('\n  ')}`);
    this.name = 'KnowledgeBaseError';
  }
}

export interface KnowledgeBaseFiles {
  readonly ruleset: unknown;
  /** Rule files by pillar name. */
  readonly pillars: Readonly<Record<string, unknown>>;
}

/** The protocols a rule can fire for. */
export const protocolsOf = (rule: Pick<Rule, 'protocols'>): readonly Protocol[] =>
  rule.protocols === 'all' ? PROTOCOLS : rule.protocols;

/**
 * Validates the rule files against their schema, then against the rest of
 * the content: every condition names a question (of some questionnaire
 * version) or score that exists, with values it can take; every source is a
 * real article row whose scope covers every protocol the rule fires for; a
 * point resting only on anecdote is never more than a note; a contested
 * claim is attributed; every row is cited or listed as not mapped with a
 * reason; every question that informs a row is read by a rule citing that
 * row; no text carries dosing advice. Every problem names its rule or file.
 */
export function checkKnowledgeBase(
  files: KnowledgeBaseFiles,
  questionnaires: readonly Questionnaire[],
  rows: ReadonlyMap<RowRef, SourceRow>,
): KnowledgeBase {
  const problems: string[] = [];
  const meta = rulesetFileSchema.safeParse(files.ruleset);
  if (!meta.success) problems.push(...zodProblems('ruleset.json', meta.error));

  const rules: Rule[] = [];
  for (const pillar of PILLARS) {
    const parsed = ruleFileSchema.safeParse(files.pillars[pillar]);
    if (!parsed.success) {
      problems.push(...zodProblems(`${pillar}.json`, parsed.error, files.pillars[pillar]));
      continue;
    }
    for (const rule of parsed.data.rules) {
      if (rule.pillar !== pillar)
        problems.push(`${rule.id}: pillar ${rule.pillar} is in ${pillar}.json`);
      rules.push(rule);
    }
  }
  for (const name of Object.keys(files.pillars)) {
    if (!(PILLARS as readonly string[]).includes(name)) problems.push(`${name}.json: not a pillar`);
  }

  // The newest definition of each question; a rule may read a question that
  // only some versions ask (it is unknown, like a blank, on the others).
  const questions = new Map<string, Question>();
  for (const questionnaire of questionnaires) {
    for (const question of questionnaire.sections.flatMap((s) => s.questions)) {
      const earlier = questions.get(question.id);
      if (earlier && earlier.type !== question.type)
        problems.push(`questionnaire ${questionnaire.version}: ${question.id} changed its type`);
      questions.set(question.id, question);
    }
  }
  const contested = meta.success ? meta.data.contested : [];
  const seen = new Set<string>();
  const cited = new Set<string>();
  /** For each row, the questions the rules citing it read (directly or through a score). */
  const readFor = new Map<string, Set<string>>();
  for (const rule of rules) {
    if (seen.has(rule.id)) problems.push(`${rule.id}: id used twice`);
    seen.add(rule.id);
    if (rule.kind === 'strength' && rule.indicator !== 'info') {
      problems.push(`${rule.id}: a strength is always indicator info`);
    }
    const reads = new Set<string>();
    for (const leaf of leavesOf(rule.when)) {
      problems.push(...checkLeaf(rule.id, leaf, questions));
      if ('answer' in leaf) reads.add(leaf.answer);
      else if (isScorePath(leaf.score)) SCORE_PATHS[leaf.score].from.forEach((q) => reads.add(q));
    }
    const sources = rule.sources.map((source) => rows.get(source.row as RowRef));
    for (const [i, source] of rule.sources.entries()) {
      const row = sources[i];
      if (!row) {
        problems.push(`${rule.id}: source ${source.row} is not an article row`);
        continue;
      }
      cited.add(source.row);
      const set = readFor.get(source.row) ?? new Set<string>();
      reads.forEach((q) => set.add(q));
      readFor.set(source.row, set);
      const { scope } = row.row;
      const outside = protocolsOf(rule).filter((p) => scope !== 'any' && !scope.includes(p));
      if (outside.length > 0) {
        problems.push(
          `${rule.id}: fires for ${outside.join(', ')}, which ${source.row} does not cover (its scope: ${scope === 'any' ? 'any' : scope.join(', ')})`,
        );
      }
    }
    const known = sources.filter((row): row is SourceRow => row !== undefined);
    const anecdotal =
      known.length > 0 && known.every((r) => r.article.evidence === 'anecdotal practice');
    if (anecdotal && rule.indicator !== 'info') {
      problems.push(`${rule.id}: rests only on anecdote, so it can be no more than indicator info`);
    }
    if (rule.group === 'evening-routine' && !anecdotal) {
      problems.push(`${rule.id}: only evening-routine points can join the evening-routine group`);
    }
    const texts = [
      ['clinician.summary', rule.clinician.summary],
      ['clinician.detail', rule.clinician.detail],
      ['patient', rule.patient],
      ['productThreshold', rule.productThreshold ?? ''],
    ] as const;
    for (const [field, text] of texts) {
      for (const finding of findDosingAdvice(text)) {
        problems.push(
          `${rule.id}: ${field} reads as dosing advice ("${finding.match}", ${finding.rule})`,
        );
      }
      for (const claim of contested) {
        if (!text.toLowerCase().includes(claim.term.toLowerCase())) continue;
        if (!ATTRIBUTION.test(text)) {
          problems.push(
            `${rule.id}: ${field} states "${claim.term}" as fact; attribute it to its source`,
          );
        }
      }
    }
  }

  const notMapped = meta.success ? meta.data.notMapped : [];
  const notMappedRows = new Set<string>();
  for (const entry of notMapped) {
    if (!rows.has(entry.row as RowRef))
      problems.push(`ruleset.json: not-mapped row ${entry.row} is not an article row`);
    if (cited.has(entry.row))
      problems.push(`ruleset.json: row ${entry.row} is listed as not mapped but a rule cites it`);
    notMappedRows.add(entry.row);
  }
  for (const row of rows.keys()) {
    if (!cited.has(row) && !notMappedRows.has(row)) {
      problems.push(`coverage: row ${row} is cited by no rule and not listed as not mapped`);
    }
  }
  for (const questionnaire of questionnaires) {
    for (const question of questionnaire.sections.flatMap((s) => s.questions)) {
      for (const row of question.informs) {
        if (notMappedRows.has(row) || readFor.get(row)?.has(question.id)) continue;
        problems.push(
          `questionnaire ${questionnaire.version}: ${question.id} informs ${row}, but no rule citing that row reads it`,
        );
      }
    }
  }
  const goals = questions.get('goals');
  const goalValues = new Set(goals?.type === 'multiple' ? goals.options.map((o) => o.value) : []);
  for (const goal of Object.keys(meta.success ? meta.data.goalPillars : {})) {
    if (!goalValues.has(goal)) problems.push(`ruleset.json: goalPillars names ${goal}, not a goal`);
  }
  for (const rule of rules.filter((r) => r.group !== undefined)) {
    if (rule.patient.length > GROUP_PATIENT_MAX)
      problems.push(
        `${rule.id}: a grouped point's patient text prints in a list; keep it to ${GROUP_PATIENT_MAX} characters`,
      );
  }
  for (const note of meta.success ? meta.data.screenNotes : []) {
    if (seen.has(note.id)) problems.push(`${note.id}: id used twice`);
    seen.add(note.id);
    for (const leaf of leavesOf(note.when)) problems.push(...checkLeaf(note.id, leaf, questions));
    for (const text of [note.summary, note.detail]) {
      for (const finding of findDosingAdvice(text)) {
        problems.push(`${note.id}: reads as dosing advice ("${finding.match}", ${finding.rule})`);
      }
    }
  }
  const barNotes = meta.success ? meta.data.barNotes : [];
  const noted = new Set<string>();
  for (const note of barNotes) {
    for (const protocol of note.protocols) {
      const key = `${note.pillar}/${protocol}`;
      if (noted.has(key)) problems.push(`ruleset.json: two bar notes for ${key}`);
      noted.add(key);
    }
    for (const text of [note.clinician, note.patient]) {
      for (const finding of findDosingAdvice(text)) {
        problems.push(
          `ruleset.json: bar note for ${note.pillar} reads as dosing advice ("${finding.match}")`,
        );
      }
    }
  }

  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return {
    version: meta.success ? meta.data.version : '',
    rules,
    notMapped,
    barNotes,
    goalPillars: meta.success ? meta.data.goalPillars : {},
    screenNotes: meta.success ? meta.data.screenNotes : [],
    rows,
  };
}

/** A grouped point's patient text is one item of a combined list. */
const GROUP_PATIENT_MAX = 200;

/** How a text attributes a claim to its source rather than stating it. */
const ATTRIBUTION =
  /\b(?:the (?:article|authors?|source)s? (?:propose|proposes|suggest|suggests|argue|argues|call|calls|describe|describes|claim|claims)|(?:proposed|suggested|argued|claimed) by the article|what the article calls|according to the article)\b/i;

const NUMBER_OPS = new Set(['eq', 'neq', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte']);
const CHOICE_OPS = new Set(['eq', 'neq', 'in', 'notIn']);
const LIST_OPS = new Set(['includes', 'excludes']);

function checkLeaf(ruleId: string, leaf: Leaf, questions: ReadonlyMap<string, Question>): string[] {
  const { op, operand } = operatorOf(leaf);
  if (op === 'blank') {
    const known = 'answer' in leaf ? questions.has(leaf.answer) : isScorePath(leaf.score);
    const name = 'answer' in leaf ? `question ${leaf.answer}` : `score ${leaf.score}`;
    return known ? [] : [`${ruleId}: condition names ${name}, which does not exist`];
  }
  const operands = Array.isArray(operand) ? (operand as unknown[]) : [operand];
  if ('answer' in leaf) {
    const question = questions.get(leaf.answer);
    if (!question)
      return [`${ruleId}: condition names question ${leaf.answer}, which does not exist`];
    const where = `${ruleId}: condition on ${leaf.answer} (${question.type})`;
    switch (question.type) {
      case 'number':
        if (!NUMBER_OPS.has(op)) return [`${where} cannot use ${op}`];
        return operands.some((v) => typeof v !== 'number')
          ? [`${where} compares with a non-number`]
          : [];
      case 'single':
      case 'yesNoUnsure': {
        if (!CHOICE_OPS.has(op)) return [`${where} cannot use ${op}`];
        const values = (question.type === 'single' ? question.options : YES_NO_UNSURE).map(
          (o) => o.value,
        );
        const unknown = operands.filter((v) => !values.includes(v as never));
        return unknown.length
          ? [`${where} uses values that are not options: ${unknown.join(', ')}`]
          : [];
      }
      case 'multiple': {
        if (!LIST_OPS.has(op)) return [`${where} cannot use ${op}`];
        const values = question.options.map((o) => o.value);
        return values.includes(String(operand))
          ? []
          : [`${where} uses ${String(operand)}, which is not an option`];
      }
      case 'time':
      case 'text':
        return [`${where}: rules read times through the sleep scores, and never read free text`];
    }
  }
  if (!isScorePath(leaf.score))
    return [`${ruleId}: condition names score ${leaf.score}, which does not exist`];
  const score = SCORE_PATHS[leaf.score];
  const where = `${ruleId}: condition on score ${leaf.score}`;
  switch (score.value.type) {
    case 'number':
      if (!NUMBER_OPS.has(op)) return [`${where} cannot use ${op}`];
      return operands.some((v) => typeof v !== 'number')
        ? [`${where} compares with a non-number`]
        : [];
    case 'boolean':
      if (op !== 'eq' && op !== 'neq') return [`${where} cannot use ${op}`];
      return typeof operand === 'boolean' ? [] : [`${where} compares with a non-boolean`];
    case 'enum': {
      if (!CHOICE_OPS.has(op)) return [`${where} cannot use ${op}`];
      const values: readonly string[] = score.value.values;
      const unknown = operands.filter((v) => !values.includes(String(v)));
      return unknown.length
        ? [`${where} uses values that are not possible: ${unknown.join(', ')}`]
        : [];
    }
  }
}

function zodProblems(file: string, error: z.ZodError, raw?: unknown): string[] {
  return error.issues.map((issue) => {
    const [first, index] = issue.path;
    let where = file;
    if (first === 'rules' && typeof index === 'number') {
      const id = (raw as { rules?: { id?: unknown }[] } | undefined)?.rules?.[index]?.id;
      where = `${file} rule ${typeof id === 'string' ? id : `#${index + 1}`}`;
    }
    const path = issue.path.slice(2).join('.');
    return `${where}${path ? ` (${path})` : ''}: ${issue.message}`;
  });
}
