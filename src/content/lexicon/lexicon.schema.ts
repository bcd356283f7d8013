import { z } from 'zod';

/*
 * The shape of the dosing guard's lexicon (src/content/lexicon/*.json): the
 * word lists and regular-expression sources that src/safety/dosing-guard.ts
 * matches with. Checked with zod once, when ./index.ts is first imported; a
 * problem stops the service at start with a message naming the file and the
 * entry. The types the guard uses are derived from these schemas.
 *
 * Every list is `{ "why": ..., "entries": [...] }`: `why` says what the list
 * is for and how the guard uses it, and an entry is a string, or
 * `{ "value": ..., "note": ... }` when that entry needs its own explanation.
 * The parsed lexicon keeps only the values.
 */

/** What a list, a group or a file is for: read by reviewers, not by the guard. */
const why = z.string().min(10);

/** Characters the guard's normaliser rewrites, so an entry holding one could never match. */
const NOT_NORMALISED =
  /[A-Z\u00b5\u03bc\u039c\u2010-\u2015\u2212\u2018\u2019\u201c\u201d\u00a0\t\n]/;

/**
 * Written as the guard sees text after normalising it: lower case, a plain
 * "-" for every dash, "u" for "µ", straight quotes, single spaces.
 */
function isNormalised(value: string): boolean {
  return !NOT_NORMALISED.test(value) && value.trim() === value && !value.includes('  ');
}
const NORMALISED_MESSAGE =
  'is not in the guard\'s normalised form (lower case, a plain "-" for dashes, "u" for "µ", straight quotes, single spaces, no space at either end)';

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'g');
    return true;
  } catch {
    return false;
  }
}

/** A word or phrase, matched token by token or as a whole term. */
const word = z.string().min(1).refine(isNormalised, { message: NORMALISED_MESSAGE });
/** A regular-expression source, matched on normalised text. */
const pattern = z
  .string()
  .min(1)
  .refine(isNormalised, { message: NORMALISED_MESSAGE })
  .refine(compiles, { message: 'is not a valid regular expression' });

type Entry = string | { value: string; note: string };
const valueOf = (entry: Entry): string => (typeof entry === 'string' ? entry : entry.value);

/** An entry, or an entry with a note that explains it. */
const entry = (value: z.ZodType<string>) =>
  z.union([value, z.strictObject({ value, note: z.string().min(10) })]);

/** Each entry once: a repeat is a sign of a copy or merge mistake. */
function addRepeats(values: readonly string[], ctx: z.RefinementCtx, path: PropertyKey[]): void {
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else
      ctx.addIssue({ code: 'custom', path: [...path, index], message: `repeats entry ${first}` });
  });
}

const entries = (value: z.ZodType<string>) =>
  z
    .array(entry(value))
    .min(1)
    .superRefine((list, ctx) => addRepeats(list.map(valueOf), ctx, []))
    .transform((list) => list.map(valueOf));

/** A list of words or phrases, with why it exists. Parsed to its values. */
export const wordListSchema = z
  .strictObject({ why, entries: entries(word) })
  .transform((list) => list.entries);
/** A list of regular-expression sources, with why it exists. Parsed to its values. */
export const patternListSchema = z
  .strictObject({ why, entries: entries(pattern) })
  .transform((list) => list.entries);

/**
 * How a substance behaves in the rules.
 *
 * - `drug`: made outside the body (medicines, peptides, brand names, herbal
 *   and sleep products). Any governed action verb, including "lower" or
 *   "raise", is an action on the medication.
 * - `endogenous`: also the name of something the body makes or needs
 *   (testosterone, estradiol, melatonin, zinc...). Lifestyle text says "short
 *   sleep lowers testosterone" all the time, so "lower/raise/boost" count only
 *   when aimed at the reader (imperative or "you ..."), or when the word is
 *   clearly the product ("testosterone dose", "estradiol patch").
 * - `amount-context`: a protocol name (TRT, HRT). It makes a bare `ml`,
 *   `units` or `g` amount count as a dose; on its own it names a protocol,
 *   which the product may discuss ("Exercise by protocol: TRT"), so only an
 *   instruction aimed at the reader acts on it ("Come off TRT").
 */
export const SUBSTANCE_KINDS = ['drug', 'endogenous', 'amount-context'] as const;
export type SubstanceKind = (typeof SUBSTANCE_KINDS)[number];

export const substanceGroupSchema = z
  .strictObject({
    /** Stable, kebab-case: names the group in an error message. */
    name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    why,
    kind: z.enum(SUBSTANCE_KINDS),
    /**
     * Class words ("medication", "supplement") rather than a named product. A
     * clinician-deferral disclaimer may mention these ("do not stop any
     * medication without your clinician"); one naming a product is not exempt.
     */
    generic: z.boolean().optional(),
    /** Matched against the original text, not the lower-cased one (DIM vs "dim the lights"). */
    caseSensitive: z.boolean().optional(),
    /**
     * No plural `s`/`es` after the terms (case-sensitive names). Other groups
     * accept one after a term ending in a word of 3 or more letters: "steroids",
     * "fish oils", but not "test e" + "s".
     */
    singular: z.boolean().optional(),
    terms: z.array(entry(z.string().min(1))).min(1),
  })
  .superRefine((group, ctx) => {
    group.terms.forEach((term, index) => {
      const value = valueOf(term);
      // Case-sensitive terms keep their capitals; the rest are matched on lower-cased text.
      const ok = group.caseSensitive
        ? value.trim() === value && !value.includes('  ')
        : isNormalised(value);
      if (!ok)
        ctx.addIssue({ code: 'custom', path: ['terms', index], message: NORMALISED_MESSAGE });
    });
    addRepeats(group.terms.map(valueOf), ctx, ['terms']);
  })
  .transform((group) => ({
    name: group.name,
    kind: group.kind,
    generic: group.generic ?? false,
    caseSensitive: group.caseSensitive ?? false,
    singular: group.singular ?? false,
    terms: group.terms.map(valueOf),
  }));
export type SubstanceGroup = z.infer<typeof substanceGroupSchema>;

/** Every file says what it holds in `about`. */
const about = why;

export const substancesFileSchema = z.strictObject({
  about,
  groups: z
    .array(substanceGroupSchema)
    .min(1)
    .superRefine((groups, ctx) => {
      const names = groups.map((group) => group.name);
      names.forEach((name, index) => {
        if (names.indexOf(name) !== index)
          ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `repeats group ${name}` });
      });
    }),
  fallingHormones: wordListSchema,
  notASubstance: patternListSchema,
});

export const unitsFileSchema = z.strictObject({
  about,
  alwaysDoseUnits: patternListSchema,
  contextDoseUnits: patternListSchema,
  numberWords: wordListSchema,
  dosageForms: patternListSchema,
  countWords: wordListSchema,
  fillerUnits: wordListSchema,
});

export const dosesFileSchema = z.strictObject({
  about,
  doseNouns: wordListSchema,
  weakDoseNouns: wordListSchema,
  doseDeterminers: wordListSchema,
  countPrefixes: wordListSchema,
  deviceWords: wordListSchema,
  doseMetaNouns: wordListSchema,
  figurativeDose: patternListSchema,
  productAfter: wordListSchema,
  injectionDevices: wordListSchema,
  deviceMarkings: wordListSchema,
  deviceVerbs: wordListSchema,
  planNouns: wordListSchema,
});

export const verbsFileSchema = z.strictObject({
  about,
  adminVerbs: wordListSchema,
  levelVerbs: wordListSchema,
  doseChangeVerbs: wordListSchema,
  injectionVerbs: wordListSchema,
  doublesFinal: wordListSchema,
  separableLevelVerbs: wordListSchema,
  doseMoveVerbs: wordListSchema,
  protocolVerbs: wordListSchema,
  intransitiveDoseVerbs: wordListSchema,
  irregularForms: z
    .strictObject({ why, forms: z.record(word, z.array(word).min(1)) })
    .transform((list) => list.forms),
  toGovernors: wordListSchema,
});

export const physiologyFileSchema = z.strictObject({
  about,
  physiologySubjects: wordListSchema,
  physiologyAfter: wordListSchema,
  hormoneTimeBefore: wordListSchema,
  physiologyAfterVerbs: wordListSchema,
  hormoneFallVerbs: wordListSchema,
  physiologyBefore: wordListSchema,
  physiologyHeadBeforeOf: wordListSchema,
  physiologyVerbs: wordListSchema,
  physiologyPredicates: wordListSchema,
  means: wordListSchema,
});

export const schedulesFileSchema = z.strictObject({
  about,
  schedulePatterns: patternListSchema,
  scheduleShorthand: patternListSchema,
  possessiveTimes: wordListSchema,
});

export const grammarFileSchema = z.strictObject({
  about,
  copulas: wordListSchema,
  governedFillers: wordListSchema,
  skipBack: wordListSchema,
  clauseStarts: wordListSchema,
  personWords: wordListSchema,
  determiners: wordListSchema,
  modals: wordListSchema,
  adverbs: wordListSchema,
  doseToVerb: wordListSchema,
  beforeBareNumber: wordListSchema,
  afterBareNumber: wordListSchema,
  obligations: wordListSchema,
  pronouns: wordListSchema,
  demonstrativeFollowers: wordListSchema,
  pronounIdioms: wordListSchema,
  subordinators: wordListSchema,
  frameLinks: wordListSchema,
  afterFrameNumber: wordListSchema,
});

export const idiomsFileSchema = z.strictObject({
  about,
  regimenIdioms: patternListSchema,
  withSubstanceIdioms: patternListSchema,
});

export const disclaimersFileSchema = z.strictObject({
  about,
  disclaimerWords: wordListSchema,
  clinicianWords: wordListSchema,
});

/** One schema per file, by file name: what ./index.ts parses. */
export const LEXICON_FILE_SCHEMAS = {
  'substances.json': substancesFileSchema,
  'units.json': unitsFileSchema,
  'doses.json': dosesFileSchema,
  'verbs.json': verbsFileSchema,
  'physiology.json': physiologyFileSchema,
  'schedules.json': schedulesFileSchema,
  'grammar.json': grammarFileSchema,
  'disclaimers.json': disclaimersFileSchema,
  'idioms.json': idiomsFileSchema,
} as const;

export type LexiconFileName = keyof typeof LEXICON_FILE_SCHEMAS;

/** The parsed lexicon: every file's lists, by file name without `.json`. */
export interface Lexicon {
  readonly substances: z.infer<typeof substancesFileSchema>;
  readonly units: z.infer<typeof unitsFileSchema>;
  readonly doses: z.infer<typeof dosesFileSchema>;
  readonly verbs: z.infer<typeof verbsFileSchema>;
  readonly physiology: z.infer<typeof physiologyFileSchema>;
  readonly schedules: z.infer<typeof schedulesFileSchema>;
  readonly grammar: z.infer<typeof grammarFileSchema>;
  readonly disclaimers: z.infer<typeof disclaimersFileSchema>;
  readonly idioms: z.infer<typeof idiomsFileSchema>;
}
