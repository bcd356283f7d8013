import { LEXICON } from '../../content/lexicon';

/*
 * Text machinery shared by every rule: normalising, sentences, tokens,
 * compiled word lists, number patterns and verb inflection. Nothing here
 * decides what is dosing advice.
 */

// ---------------------------------------------------------------------------
// Normalisation: one pass that keeps, for every character of the normalised
// text, where it came from, so a finding can quote the original text exactly.

export interface Normalised {
  /** Lower case, for every rule. */
  readonly lower: string;
  /** Same length and positions as `lower`, case kept (for DIM). */
  readonly cased: string;
  readonly start: readonly number[];
  readonly end: readonly number[];
}

const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/;
const LINE_BREAK = /[\n\r\u2028\u2029\u2022\u25aa\u25cf]/;
const DASH = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;

function normaliseChar(ch: string): string {
  if (INVISIBLE.test(ch)) return '';
  if (LINE_BREAK.test(ch)) return '\n';
  if (/\s/.test(ch)) return ' ';
  return ch
    .normalize('NFKC')
    .replace(/[\u00b5\u03bc\u039c]/g, 'u')
    .replace(DASH, '-')
    .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u2033]/g, '"')
    .replace(/\u2044/g, '/')
    .replace(/\u00d7/g, 'x');
}

export function normalise(text: string): Normalised {
  let lower = '';
  let cased = '';
  const start: number[] = [];
  const end: number[] = [];
  let at = 0;
  for (const ch of text) {
    const piece = normaliseChar(ch);
    const lowered = piece.toLowerCase();
    // toLowerCase can change the length of a few letters (İ); then case is not kept for them.
    const keep = lowered.length === piece.length ? piece : lowered;
    for (let k = 0; k < lowered.length; k++) {
      lower += lowered[k];
      cased += keep[k];
      start.push(at);
      end.push(at + ch.length);
    }
    at += ch.length;
  }
  return { lower, cased, start, end };
}

// ---------------------------------------------------------------------------
// Sentences and tokens.

export interface Span {
  readonly s: number;
  readonly e: number;
}

/** A dot that ends "i.u", "e.g", "q.d" (letters joined by dots) does not end the sentence. */
const DOTTED_ABBREVIATION = /(?:^|[^a-z])(?:[a-z]\.)+[a-z]$/;
const TITLE_ABBREVIATION = /(?:^|[^a-z])(?:dr|mr|mrs|ms|vs|approx|incl|esp)$/;

/** Sentence spans: split on . ! ? ; and line breaks, not on the point of "2.5" or inside "I.U.". */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  const push = (to: number) => {
    let s = from;
    let e = to;
    while (s < e && /\s/.test(text[s] ?? '')) s++;
    while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
    if (e > s) spans.push({ s, e });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '.') {
      const next = text[i + 1] ?? '';
      // A decimal point (2.5), or a dot inside a word or shorthand (i.u, e3.5d).
      if (/[a-z0-9]/.test(next)) continue;
      const before = text.slice(Math.max(0, i - 12), i);
      if (DOTTED_ABBREVIATION.test(before) || TITLE_ABBREVIATION.test(before)) continue;
    } else if (ch !== '!' && ch !== '?' && ch !== ';' && ch !== '\n') {
      continue;
    }
    push(i);
    from = i + 1;
  }
  push(text.length);
  return spans;
}

export interface Token extends Span {
  readonly w: string;
}

const TOKEN = /\d+(?:[.,]\d+)*(?:\/\d+)?|[a-z]+(?:'[a-z]+)*|[,:;()]/g;

export function tokenize(text: string, sentence: Span): Token[] {
  const tokens: Token[] = [];
  const slice = text.slice(sentence.s, sentence.e);
  for (const m of slice.matchAll(TOKEN)) {
    const s = sentence.s + (m.index ?? 0);
    tokens.push({ w: m[0], s, e: s + m[0].length });
  }
  return tokens;
}

/** The first and last token inside a character span (-1 when none), by binary search. */
export function tokenRange(tokens: readonly Token[], span: Span): { first: number; last: number } {
  // First token that ends after the span starts.
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid]?.e ?? 0) <= span.s) lo = mid + 1;
    else hi = mid;
  }
  let last = lo - 1;
  for (let i = lo; i < tokens.length && (tokens[i]?.s ?? 0) < span.e; i++) last = i;
  return last < lo ? { first: -1, last: -1 } : { first: lo, last };
}

/** All matches of a regular expression inside the sentence, in text coordinates. */
export function spansOf(re: RegExp, text: string, sentence: Span): Span[] {
  const spans: Span[] = [];
  const slice = text.slice(sentence.s, sentence.e);
  for (const m of slice.matchAll(re)) {
    const s = sentence.s + (m.index ?? 0);
    if (m[0].length > 0) spans.push({ s, e: s + m[0].length });
  }
  return spans;
}

export const overlaps = (a: Span, b: Span): boolean => a.s < b.e && b.s < a.e;
export const cover = (a: Span, b: Span): Span => ({
  s: Math.min(a.s, b.s),
  e: Math.max(a.e, b.e),
});
export const isNumber = (w: string): boolean => /^\d/.test(w);

// ---------------------------------------------------------------------------
// Compiling word lists.

const escape = (term: string): string => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** "cjc-1295" also matches "cjc 1295" and "cjc1295". */
export const termSource = (term: string): string =>
  term
    .split(/[-\s]+/)
    .map(escape)
    .join('[-\\s]?');
/** An alternation of regular-expression sources, longest first. */
export const alternation = (sources: readonly string[]): string =>
  [...sources].sort((a, b) => b.length - a.length).join('|');
export const wordSet = (words: readonly string[]): ReadonlySet<string> => new Set(words);

/** Not part of a longer word, and not the start of "e.g." after "test e". */
export const WORD_START = '(?<![a-z0-9])';
export const WORD_END = '(?![a-z0-9]|\\.[a-z0-9])';

// ---------------------------------------------------------------------------
// Numbers.

const NUMBER_WORD = `(?:${alternation(LEXICON.units.numberWords)})(?![a-z])`;
const NUMBER_DIGITS = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:[.,]\\d+)?(?: ?\\/ ?\\d+)?|[.,]\\d+';
const NUMBER_WORDS_RUN = `(?:an? )?${NUMBER_WORD}(?:[\\s-]+(?:and )?(?:an? )?${NUMBER_WORD}){0,6}`;
const ONE_NUMBER = `(?:(?:${NUMBER_DIGITS})(?: \\d\\/\\d)?|${NUMBER_WORDS_RUN})`;
/** A number, a fraction, number words ("two and a half"), or a range of them ("100-200"). */
export const NUMBER = `${ONE_NUMBER}(?: ?(?:-|to|or) ?${ONE_NUMBER})?(?: (?:of )?an?(?![a-z]))?`;

// ---------------------------------------------------------------------------
// Verbs.

const DOUBLES_FINAL = wordSet(LEXICON.verbs.doublesFinal);
const IRREGULAR_FORMS = LEXICON.verbs.irregularForms;

/** Regular inflections (-s, -ing, -ed) of a base verb, plus the irregular ones. */
export function inflections(base: string): string[] {
  const forms = [base, ...(IRREGULAR_FORMS[base] ?? [])];
  const consonantY = /[^aeiou]y$/.test(base);
  const stem = consonantY ? base.slice(0, -1) : base;
  forms.push(
    consonantY ? `${stem}ies` : /(?:s|sh|ch|x|z|o)$/.test(base) ? `${base}es` : `${base}s`,
  );
  if (base.endsWith('e') && !base.endsWith('ee')) {
    forms.push(`${base.slice(0, -1)}ing`, `${base}d`);
  } else if (DOUBLES_FINAL.has(base)) {
    const doubled = base + base.slice(-1);
    forms.push(`${doubled}ing`, `${doubled}ed`);
  } else {
    forms.push(`${base}ing`, consonantY ? `${stem}ied` : `${base}ed`);
  }
  return forms;
}
