import { z } from 'zod';
import { PROTOCOLS } from '../../common/protocol';

/*
 * The source articles' tables and lists, row by row (src/content/articles.json):
 * the product's own copy of the list its clinical team keeps beside the
 * articles. Questions say which rows they inform and rules cite them, always
 * by a row reference `article:table:row`.
 */

export const ARTICLE_IDS = ['lifestyle-guidance', 'hpg-recovery', 'evening-routine'] as const;
export type ArticleId = (typeof ARTICLE_IDS)[number];

export const EVIDENCE = ['clinical-education article', 'anecdotal practice'] as const;
export type Evidence = (typeof EVIDENCE)[number];

/** The protocols an article wrote a row for, or `any` where it speaks generally. */
export const scopeSchema = z.union([z.literal('any'), z.array(z.enum(PROTOCOLS)).min(1)]);
export type Scope = z.infer<typeof scopeSchema>;

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

export const articleRowSchema = z.strictObject({
  id: slug,
  label: z.string().min(3),
  scope: scopeSchema,
  /** Why the row has that scope, from where and how the article wrote it. */
  scopeReason: z.string().min(20),
  /** What the row states, paraphrased: what a point citing it may claim. */
  says: z.string().min(20),
});

export const articleTableSchema = z.strictObject({
  id: slug,
  kind: z.enum(['table', 'list', 'paragraphs']),
  title: z.string().min(3),
  rows: z.array(articleRowSchema).min(1),
});

export const articleSchema = z.strictObject({
  id: z.enum(ARTICLE_IDS),
  title: z.string().min(3),
  /** The same, in plain words, for the patient's notes. */
  plainTitle: z.string().min(3),
  file: z.string().min(3),
  evidence: z.enum(EVIDENCE),
  tables: z.array(articleTableSchema).min(1),
});

export const articlesFileSchema = z.strictObject({ articles: z.array(articleSchema).min(1) });

export type ArticleRow = z.infer<typeof articleRowSchema>;
export type ArticleTable = z.infer<typeof articleTableSchema>;
export type Article = z.infer<typeof articleSchema>;

/** `article:table:row`, e.g. `lifestyle-guidance:estrobolome:cruciferous-vegetables`. */
export type RowRef = `${ArticleId}:${string}:${string}`;

/** One row with where it sits: what a rule's source resolves to. */
export interface SourceRow {
  readonly ref: RowRef;
  readonly article: Article;
  readonly table: ArticleTable;
  readonly row: ArticleRow;
}
