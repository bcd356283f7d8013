import { PROTOCOL_LABELS } from '../../common/protocol';
import { Question, Questionnaire } from '../../content/schema/questionnaire.schema';
import { KnowledgeBase } from '../../content/check-knowledge-base';
import { Rule } from '../../content/schema/rules.schema';
import { Article } from '../../content/schema/articles.schema';

/*
 * The knowledge-base page's model: every article, table and row, and for
 * each row the rules that cite it and the questions that inform it. Pure:
 * built once from data that is fixed while the service runs.
 */

export interface KnowledgeRuleView {
  readonly id: string;
  readonly pillar: string;
  readonly kind: 'concern' | 'strength';
  readonly kindLabel: string;
  readonly priority: number;
  readonly indicator: string;
  readonly protocols: string;
  readonly summary: string;
  /** What the product added to the row (a cut-off, a band), when it did. */
  readonly productThreshold?: string;
}

/** A question of the intake, or a whole instrument whose items inform the row together. */
export interface KnowledgeQuestionView {
  readonly label: string;
  readonly section: string;
  /** The question id, or the range of the instrument's item ids ("pss1 to pss10"). */
  readonly ids: string;
  readonly instrument: boolean;
}

export interface KnowledgeRowView {
  /** `article:table:row`, as rules cite it. */
  readonly ref: string;
  readonly anchor: string;
  readonly label: string;
  /** The protocols the article wrote the row for, and why. */
  readonly scope: string;
  readonly scopeReason: string;
  /** What the row states: what a point citing it may claim. */
  readonly says: string;
  readonly rules: readonly KnowledgeRuleView[];
  readonly questions: readonly KnowledgeQuestionView[];
  /** Set when the knowledge base deliberately maps no rule to this row. */
  readonly notMappedReason?: string;
}

export interface KnowledgeTableView {
  readonly id: string;
  readonly anchor: string;
  readonly title: string;
  readonly kindLabel: string;
  readonly rows: readonly KnowledgeRowView[];
  readonly uncitedCount: number;
}

export interface KnowledgeArticleView {
  readonly id: string;
  readonly anchor: string;
  readonly title: string;
  readonly evidence: string;
  readonly file: string;
  readonly tables: readonly KnowledgeTableView[];
}

export interface KnowledgeView {
  readonly rulesetVersion: string;
  readonly questionnaireVersion: string;
  readonly ruleCount: number;
  readonly rowCount: number;
  readonly uncitedCount: number;
  readonly articles: readonly KnowledgeArticleView[];
}

const TABLE_KINDS = { table: 'Table', list: 'List', paragraphs: 'Paragraphs' } as const;

const INSTRUMENTS = {
  pss10: 'PSS-10, Perceived Stress Scale',
  auditC: 'AUDIT-C, alcohol use',
  ipaqShort: 'IPAQ short form, physical activity',
} as const;

export function buildKnowledgeView(
  articles: readonly Article[],
  knowledgeBase: KnowledgeBase,
  questionnaire: Questionnaire,
): KnowledgeView {
  const rulesByRow = new Map<string, Rule[]>();
  for (const rule of knowledgeBase.rules) {
    // A rule citing the same row twice is listed once under it.
    for (const row of new Set(rule.sources.map((source) => source.row))) {
      rulesByRow.set(row, [...(rulesByRow.get(row) ?? []), rule]);
    }
  }
  const questionsByRow = new Map<string, { question: Question; section: string }[]>();
  for (const section of questionnaire.sections) {
    for (const question of section.questions) {
      for (const row of new Set(question.informs)) {
        questionsByRow.set(row, [
          ...(questionsByRow.get(row) ?? []),
          { question, section: section.title },
        ]);
      }
    }
  }
  const notMapped = new Map(knowledgeBase.notMapped.map((entry) => [entry.row, entry.reason]));

  const articleViews = articles.map((article) => ({
    id: article.id,
    anchor: anchorOf(article.id),
    title: article.title,
    evidence: article.evidence,
    file: article.file,
    tables: article.tables.map((table) => {
      const rows = table.rows.map((row): KnowledgeRowView => {
        const ref = `${article.id}:${table.id}:${row.id}`;
        return {
          ref,
          anchor: anchorOf(ref),
          label: row.label,
          scope:
            row.scope === 'any'
              ? 'Any protocol'
              : row.scope.map((p) => PROTOCOL_LABELS[p]).join(', '),
          scopeReason: row.scopeReason,
          says: row.says,
          rules: [...(rulesByRow.get(ref) ?? [])].sort(byDiscussionOrder).map(ruleView),
          questions: questionViews(questionsByRow.get(ref) ?? []),
          notMappedReason: notMapped.get(ref),
        };
      });
      return {
        id: table.id,
        anchor: anchorOf(`${article.id}:${table.id}`),
        title: table.title,
        kindLabel: TABLE_KINDS[table.kind],
        rows,
        uncitedCount: rows.filter((row) => row.rules.length === 0).length,
      };
    }),
  }));

  const tables = articleViews.flatMap((article) => article.tables);
  return {
    rulesetVersion: knowledgeBase.version,
    questionnaireVersion: questionnaire.version,
    ruleCount: knowledgeBase.rules.length,
    rowCount: tables.reduce((sum, table) => sum + table.rows.length, 0),
    uncitedCount: tables.reduce((sum, table) => sum + table.uncitedCount, 0),
    articles: articleViews,
  };
}

/** An element id from a row reference: `a:b:c` becomes `kb-a--b--c`. */
export function anchorOf(ref: string): string {
  return `kb-${ref.replace(/[^A-Za-z0-9-]+/g, '--')}`;
}

/** Concerns before strengths, then the order they are discussed in: priority, highest first. */
function byDiscussionOrder(a: Rule, b: Rule): number {
  if (a.kind !== b.kind) return a.kind === 'concern' ? -1 : 1;
  return b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function ruleView(rule: Rule): KnowledgeRuleView {
  return {
    id: rule.id,
    pillar: rule.pillar.charAt(0).toUpperCase() + rule.pillar.slice(1),
    kind: rule.kind,
    kindLabel: rule.kind === 'concern' ? 'Concern' : 'Strength',
    priority: rule.priority,
    indicator: rule.indicator,
    protocols:
      rule.protocols === 'all'
        ? 'All protocols'
        : rule.protocols.map((protocol) => PROTOCOL_LABELS[protocol]).join(', '),
    summary: rule.clinician.summary,
    productThreshold: rule.productThreshold,
  };
}

/** Questions in questionnaire order; an instrument's items become one entry, at its first item. */
function questionViews(
  found: readonly { question: Question; section: string }[],
): KnowledgeQuestionView[] {
  const items = new Map<string, string[]>();
  for (const { question } of found) {
    if (question.instrument)
      items.set(question.instrument, [...(items.get(question.instrument) ?? []), question.id]);
  }
  return found.flatMap(({ question, section }): KnowledgeQuestionView[] => {
    if (!question.instrument) {
      return [{ label: question.label, section, ids: question.id, instrument: false }];
    }
    const ids = items.get(question.instrument) ?? [];
    if (ids[0] !== question.id) return [];
    return [
      {
        label:
          ids.length === 1
            ? INSTRUMENTS[question.instrument]
            : `${INSTRUMENTS[question.instrument]} (${ids.length} items)`,
        section,
        ids: ids.length === 1 ? ids[0] : `${ids[0]} to ${ids[ids.length - 1]}`,
        instrument: true,
      },
    ];
  });
}
