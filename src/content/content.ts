import { z } from 'zod';
import articlesFile from './articles.json';
import questionnaire202611 from './questionnaires/2026-11.1.json';
import questionnaire202612 from './questionnaires/2026-12.1.json';
import diet from './rules/diet.json';
import exercise from './rules/exercise.json';
import ruleset from './rules/ruleset.json';
import sleep from './rules/sleep.json';
import stress from './rules/stress.json';
import { checkKnowledgeBase, KnowledgeBase } from './check-knowledge-base';
import { questionnaireProblems } from './check-questionnaire';
import { Article, articlesFileSchema, RowRef, SourceRow } from './schema/articles.schema';
import { Questionnaire, questionnaireSchema } from './schema/questionnaire.schema';

/*
 * The product's clinical content, as data, in one folder: the articles'
 * rows with their scope, the questionnaire versions, the rules (and, in
 * ./lexicon, the dosing guard's word lists). What a clinical reviewer reads
 * and signs is here and nowhere else. It is parsed against its schemas and
 * checked against itself once, into one object the rest of the code
 * receives; a problem stops the service at start with a message naming the
 * file, question or rule.
 */

/** The files as they are read; tests pass altered copies to see a check refuse them. */
export interface ContentFiles {
  readonly articles: unknown;
  /** Every questionnaire version; the last is the one new intakes use. */
  readonly questionnaires: readonly unknown[];
  readonly ruleset: unknown;
  /** Rule files by pillar name. */
  readonly rules: Readonly<Record<string, unknown>>;
}

export const CONTENT_FILES: ContentFiles = {
  articles: articlesFile,
  questionnaires: [questionnaire202611, questionnaire202612],
  ruleset,
  rules: { diet, exercise, sleep, stress },
};

export class ContentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The content is not valid (${problems.length}):\n  ${problems.join('\n  ')}`);
    this.name = 'ContentError';
  }
}

/** The checked content: safe to render and to evaluate. Injected by its class. */
export class Content {
  constructor(
    readonly articles: readonly Article[],
    /** Every row by its reference. */
    readonly rows: ReadonlyMap<RowRef, SourceRow>,
    /** Oldest first; the last is current. */
    readonly questionnaires: readonly Questionnaire[],
    readonly knowledgeBase: KnowledgeBase,
  ) {}

  /** The questionnaire new intakes use. */
  get questionnaire(): Questionnaire {
    return this.questionnaires[this.questionnaires.length - 1];
  }

  /** The version an intake was answered with; submitted intakes keep theirs. */
  questionnaireVersion(version: string): Questionnaire {
    const found = this.questionnaires.find((q) => q.version === version);
    if (!found) throw new Error(`Unknown questionnaire version ${version}`);
    return found;
  }

  row(ref: string): SourceRow | undefined {
    return this.rows.get(ref as RowRef);
  }
}

/** Parses and checks content files; throws a ContentError listing every problem. */
export function checkContent(files: ContentFiles): Content {
  const problems: string[] = [];
  const articles = articlesFileSchema.safeParse(files.articles);
  if (!articles.success) problems.push(...zodProblems('articles.json', articles.error));
  const rows = new Map<RowRef, SourceRow>();
  for (const article of articles.success ? articles.data.articles : []) {
    for (const table of article.tables) {
      for (const row of table.rows) {
        const ref: RowRef = `${article.id}:${table.id}:${row.id}`;
        if (rows.has(ref)) problems.push(`articles.json: row ${ref} appears twice`);
        rows.set(ref, { ref, article, table, row });
      }
    }
  }

  const questionnaires: Questionnaire[] = [];
  for (const [index, raw] of files.questionnaires.entries()) {
    const parsed = questionnaireSchema.safeParse(raw);
    const name = `questionnaires[${index}]`;
    if (!parsed.success) {
      problems.push(...zodProblems(name, parsed.error));
      continue;
    }
    problems.push(...questionnaireProblems(parsed.data, new Set(rows.keys())));
    if (questionnaires.some((q) => q.version >= parsed.data.version))
      problems.push(`${name}: versions must be unique and listed oldest first`);
    questionnaires.push(parsed.data);
  }
  if (problems.length > 0) throw new ContentError(problems);

  const knowledgeBase = checkKnowledgeBase(
    { ruleset: files.ruleset, pillars: files.rules },
    questionnaires,
    rows,
  );
  return new Content(articles.data!.articles, rows, questionnaires, knowledgeBase);
}

let loaded: Content | undefined;

/** The repository's content, checked once per process: at start, and in tests. */
export function loadContent(): Content {
  loaded ??= checkContent(CONTENT_FILES);
  return loaded;
}

export function zodProblems(file: string, error: z.ZodError, raw?: unknown): string[] {
  return error.issues.map((issue) => {
    const [first, index] = issue.path;
    let where = file;
    if (first === 'rules' && typeof index === 'number') {
      const id = (raw as { rules?: { id?: unknown }[] } | undefined)?.rules?.[index]?.id;
      where = `${file} rule ${typeof id === 'string' ? id : `#${index + 1}`}`;
      return `${where}${issue.path.length > 2 ? ` (${issue.path.slice(2).join('.')})` : ''}: ${issue.message}`;
    }
    return `${where}${issue.path.length ? ` (${issue.path.join('.')})` : ''}: ${issue.message}`;
  });
}
