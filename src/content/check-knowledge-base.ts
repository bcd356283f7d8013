import { z } from 'zod';
import { PILLARS } from '../common/pillar';
import {
  Question,
  Questionnaire,
  YES_NO_UNSURE,
} from '../intake/questionnaire/questionnaire.types';
import { ROW_REFS } from '../knowledge/article-rows';
import { findDosingAdvice } from '../safety/dosing-guard';
import {
  Leaf,
  leavesOf,
  operatorOf,
  Rule,
  ruleFileSchema,
  rulesetFileSchema,
} from './knowledge-base.schema';
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

/**
 * Validates the files against the schema, then against the product: every
 * condition names a question or score that exists, with values it can take;
 * every source is a real article row; every row is cited or listed as not
 * mapped with a reason; no text carries dosing advice. Every problem names
 * the rule (or file) it is in.
 */
export function checkKnowledgeBase(
  files: KnowledgeBaseFiles,
  questionnaire: Questionnaire,
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

  const questions = new Map(
    questionnaire.sections.flatMap((s) => s.questions).map((q) => [q.id, q]),
  );
  const seen = new Set<string>();
  const cited = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) problems.push(`${rule.id}: id used twice`);
    seen.add(rule.id);
    if (rule.kind === 'strength' && rule.indicator !== 'info') {
      problems.push(`${rule.id}: a strength is always indicator info`);
    }
    for (const leaf of leavesOf(rule.when)) problems.push(...checkLeaf(rule.id, leaf, questions));
    for (const source of rule.sources) {
      if (!ROW_REFS.has(source.row))
        problems.push(`${rule.id}: source ${source.row} is not an article row`);
      cited.add(source.row);
    }
    for (const [field, text] of [
      ['clinician.summary', rule.clinician.summary],
      ['clinician.detail', rule.clinician.detail],
      ['patient', rule.patient],
    ] as const) {
      for (const finding of findDosingAdvice(text)) {
        problems.push(
          `${rule.id}: ${field} reads as dosing advice ("${finding.match}", ${finding.rule})`,
        );
      }
    }
  }

  const notMapped = meta.success ? meta.data.notMapped : [];
  const notMappedRows = new Set<string>();
  for (const entry of notMapped) {
    if (!ROW_REFS.has(entry.row))
      problems.push(`ruleset.json: not-mapped row ${entry.row} is not an article row`);
    if (cited.has(entry.row))
      problems.push(`ruleset.json: row ${entry.row} is listed as not mapped but a rule cites it`);
    notMappedRows.add(entry.row);
  }
  for (const row of ROW_REFS) {
    if (!cited.has(row) && !notMappedRows.has(row)) {
      problems.push(`coverage: row ${row} is cited by no rule and not listed as not mapped`);
    }
  }

  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return { version: meta.success ? meta.data.version : '', rules, notMapped };
}

const NUMBER_OPS = new Set(['eq', 'neq', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte']);
const CHOICE_OPS = new Set(['eq', 'neq', 'in', 'notIn']);
const LIST_OPS = new Set(['includes', 'excludes']);

function checkLeaf(ruleId: string, leaf: Leaf, questions: Map<string, Question>): string[] {
  const { op, operand } = operatorOf(leaf);
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
