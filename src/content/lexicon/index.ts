import { z } from 'zod';
import disclaimers from './disclaimers.json';
import doses from './doses.json';
import grammar from './grammar.json';
import idioms from './idioms.json';
import { Lexicon, LEXICON_FILE_SCHEMAS, LexiconFileName } from './lexicon.schema';
import physiology from './physiology.json';
import schedules from './schedules.json';
import substances from './substances.json';
import units from './units.json';
import verbs from './verbs.json';

/*
 * The dosing guard's word lists, as data (see ./lexicon.schema.ts for their
 * shape and src/safety/dosing-guard.ts for how they are used). The JSON is
 * compiled into the build like the other content files, parsed once when
 * this module is first imported, and exported typed. A malformed file stops
 * the import (and so the service, at start) with a LexiconError naming the
 * file and the entry.
 */

export type { Lexicon, SubstanceGroup, SubstanceKind } from './lexicon.schema';

/** The files as they are read, by file name; tests pass altered copies to see them refused. */
export type LexiconFiles = Readonly<Record<LexiconFileName, unknown>>;

export const LEXICON_FILES: LexiconFiles = {
  'substances.json': substances,
  'units.json': units,
  'doses.json': doses,
  'verbs.json': verbs,
  'physiology.json': physiology,
  'schedules.json': schedules,
  'grammar.json': grammar,
  'disclaimers.json': disclaimers,
  'idioms.json': idioms,
};

export class LexiconError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The dosing lexicon is not valid (${problems.length}):\n  ${problems.join('\n  ')}`);
    this.name = 'LexiconError';
  }
}

/** `groups[3].terms[5]` from a zod path. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`))
    .join('');
}

/** What sits at `path` in the raw file, to quote: the entry's text and the group it is in. */
function quoted(raw: unknown, path: readonly PropertyKey[]): string {
  let at: unknown = raw;
  let group: string | undefined;
  for (const key of path) {
    if (at === null || typeof at !== 'object') break;
    at = (at as Record<PropertyKey, unknown>)[key];
    const name = (at as { name?: unknown } | null | undefined)?.name;
    if (typeof name === 'string') group = name;
  }
  const value = typeof at === 'object' && at !== null ? (at as { value?: unknown }).value : at;
  const entry = typeof value === 'string' ? ` "${value}"` : '';
  return `${entry}${group === undefined ? '' : ` (group ${group})`}`;
}

function problemsOf(file: string, raw: unknown, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? ` ${pathText(issue.path)}` : '';
    return `${file}${where}${quoted(raw, issue.path)}: ${issue.message}`;
  });
}

/** Parses every file against its schema; throws a LexiconError listing every problem. */
export function parseLexicon(files: LexiconFiles): Lexicon {
  const problems: string[] = [];
  const parse = <K extends LexiconFileName>(file: K) => {
    const parsed = LEXICON_FILE_SCHEMAS[file].safeParse(files[file]);
    if (!parsed.success) problems.push(...problemsOf(file, files[file], parsed.error));
    return parsed.data as z.infer<(typeof LEXICON_FILE_SCHEMAS)[K]>;
  };
  const lexicon: Lexicon = {
    substances: parse('substances.json'),
    units: parse('units.json'),
    doses: parse('doses.json'),
    verbs: parse('verbs.json'),
    physiology: parse('physiology.json'),
    schedules: parse('schedules.json'),
    grammar: parse('grammar.json'),
    disclaimers: parse('disclaimers.json'),
    idioms: parse('idioms.json'),
  };
  if (problems.length > 0) throw new LexiconError(problems);
  return lexicon;
}

/** The repository's lexicon, parsed once per process. */
export const LEXICON: Lexicon = parseLexicon(LEXICON_FILES);
