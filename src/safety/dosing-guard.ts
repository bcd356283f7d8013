import {
  ADMIN_VERBS,
  ALWAYS_DOSE_UNITS,
  CLAUSE_STARTS,
  CLINICIAN_WORDS,
  CONTEXT_DOSE_UNITS,
  COPULAS,
  COUNT_WORDS,
  DEVICE_WORDS,
  DISCLAIMER_WORDS,
  DOSAGE_FORMS,
  DOSE_CHANGE_VERBS,
  DOSE_META_NOUNS,
  DOSE_NOUNS,
  FALLING_HORMONES,
  FIGURATIVE_DOSE,
  GOVERNED_FILLERS,
  HORMONE_FALL_VERBS,
  HORMONE_TIME_BEFORE,
  INJECTION_VERBS,
  IRREGULAR_FORMS,
  LEVEL_VERBS,
  NOT_A_SUBSTANCE,
  NUMBER_WORDS,
  PERSON_WORDS,
  PHYSIOLOGY_AFTER,
  PHYSIOLOGY_AFTER_VERBS,
  PHYSIOLOGY_BEFORE,
  PHYSIOLOGY_HEAD_BEFORE_OF,
  PHYSIOLOGY_PREDICATES,
  PHYSIOLOGY_SUBJECTS,
  PHYSIOLOGY_VERBS,
  PRODUCT_AFTER,
  SCHEDULE_PATTERNS,
  SCHEDULE_SHORTHAND,
  SKIP_BACK,
  SUBSTANCE_GROUPS,
  SubstanceKind,
  TO_GOVERNORS,
  WEAK_DOSE_NOUNS,
} from './dosing-lexicon';

/**
 * A guard against dosing advice in product text (rule texts, handouts,
 * discussion points). The service supports a lifestyle conversation next to a
 * protocol a clinician runs; it must never say how much of a medication,
 * hormone, peptide or supplement to take, when, or how to change it, whether
 * worded as advice ("take 3 mg") or as a fact about the plan ("your 200 mg
 * weekly injection").
 *
 * It fails closed: the rules are deliberately broad around anything that names
 * a substance, a dose unit or a dose, and narrow only where lifestyle and
 * physiology sentences are known to collide with them. It is deterministic and
 * explainable: every finding names its rule and the exact text, so a writer can
 * see why a sentence was refused and reword it. The word lists are in
 * `dosing-lexicon.ts`; the corpora in test/fixtures/dosing-guard show what must
 * be caught and what must pass.
 *
 * Text is checked sentence by sentence (split on . ! ? ; and line breaks, not
 * on the point of "2.5" or inside "I.U."), after normalising case, unicode
 * (µ → u, ½ → 1/2, every dash to "-") and removing invisible characters. The
 * rules:
 *
 * 1. amount: a number with a dose unit. mg, mcg, µg, ng, IU and cc always (lab
 *    values in those units are refused too); ml, units and grams only when the
 *    sentence names a substance, a dose or a protocol (ml under 5 always); a
 *    bare number right after a substance ("anastrozole 0.5 twice a week").
 * 2. substance-action: a substance governed by an action verb (start, stop,
 *    take, skip, switch, lower...), i.e. the verb comes first with only words
 *    like "your weekly" between; or a passive ("DHEA should be taken").
 * 3. substance-schedule: a frequency or timing attached to a substance (close,
 *    at most one unrelated word between).
 * 4. substance-count: a count of a dosage form ("two capsules") in a sentence
 *    naming a substance.
 * 5. dose-change: a dose, injection, shot, tablet... named without the
 *    substance, with an action on it, a schedule or a number; and prescription
 *    shorthand (EOD, E3.5D, q.d.) anywhere.
 *
 * Physiology versus medication. Clinician handouts name hormones as
 * physiology all the time ("short sleep lowers testosterone", "light
 * suppresses melatonin", "exercise increases insulin sensitivity"). A mention
 * is physiology, and never acted on, scheduled or counted, when a word around
 * it says so: "testosterone levels", "insulin sensitivity", "low/free/natural
 * testosterone", "morning testosterone", "levels of", "zinc-rich foods",
 * "vitamin D from daylight". As the subject of a physiology verb ("testosterone
 * peaks in the morning") or the object of one ("light suppresses melatonin")
 * it is not scheduled or counted. The level verbs (lower, raise, increase,
 * reduce, boost, cut, drop) act on a hormone the body makes only when the
 * product is meant ("your testosterone dose", "estradiol patch") or when they
 * are aimed at the reader: an imperative or a person as subject ("Lower your
 * testosterone", "you should raise your estradiol"), not a purpose ("sleep more
 * to raise testosterone"), not a non-person subject ("alcohol can lower
 * testosterone"), not with a lifestyle means ("raise testosterone naturally").
 * Drugs the body does not make (anastrozole, hCG, semaglutide) have no such
 * exception. The other action verbs act on any substance they govern, unless
 * their subject is the body or a lifestyle factor ("the body uses zinc").
 *
 * Disclaimers. "This handout contains no dosing advice", "Do not change your
 * dose without talking to your clinician", "Talk to your clinician before
 * changing any medication", "Take your medication exactly as prescribed":
 * these tell the reader to keep the clinician's plan, so the action and
 * dose-change rules ignore the verbs inside them. Only the disclaimer clause
 * is exempt, only when it names dosing generically (a named product, "do not
 * stop anastrozole without...", is still refused), and amounts, schedules and
 * counts are never exempt.
 */

export interface DosingFinding {
  readonly rule:
    'amount' | 'substance-action' | 'substance-schedule' | 'substance-count' | 'dose-change';
  /** The exact matched text, for the error message and the log (never patient data: the guard checks product text). */
  readonly match: string;
  /** Where `match` starts in the checked text (UTF-16 index, as String.prototype.slice counts). */
  readonly index: number;
}

/** The message quotes this many findings; all of them are in `findings`. */
const MESSAGE_FINDINGS = 10;

export class DosingAdviceError extends Error {
  constructor(
    readonly where: string,
    readonly findings: readonly DosingFinding[],
  ) {
    const shown = findings.slice(0, MESSAGE_FINDINGS);
    const more = findings.length - shown.length;
    super(
      `Dosing advice in ${where}: ` +
        shown.map((finding) => `"${finding.match}" (${finding.rule})`).join(', ') +
        (more > 0 ? ` and ${more} more` : ''),
    );
    this.name = 'DosingAdviceError';
  }
}

/** Throws DosingAdviceError (naming `where`, e.g. a rule id or "handout footer") when any text has a finding. */
export function assertNoDosingAdvice(texts: readonly string[], where: string): void {
  const findings = texts.flatMap((text) => findDosingAdvice(text));
  if (findings.length > 0) throw new DosingAdviceError(where, findings);
}

/** Every finding in `text`, in order of position. An empty list means the text passed. */
export function findDosingAdvice(text: string): DosingFinding[] {
  // Fail closed on a caller that passes something else (untyped JSON, a missing field).
  if (typeof text !== 'string') throw new TypeError('findDosingAdvice expects a string');
  const norm = normalise(text);
  const findings: DosingFinding[] = [];
  const seen = new Set<string>();
  for (const sentence of splitSentences(norm.lower)) {
    const raws = checkSentence(norm, sentence);
    // One finding per place: drop one that lies inside another of the same rule.
    const inside = (a: RawFinding, b: RawFinding) =>
      a !== b &&
      a.rule === b.rule &&
      b.s <= a.s &&
      a.e <= b.e &&
      (b.e - b.s > a.e - a.s || b.s < a.s);
    for (const raw of raws.filter((a) => !raws.some((b) => inside(a, b)))) {
      const index = norm.start[raw.s] ?? 0;
      const end = norm.end[raw.e - 1] ?? index;
      const finding: DosingFinding = { rule: raw.rule, match: text.slice(index, end), index };
      const key = `${finding.rule}:${finding.index}:${finding.match}`;
      if (!seen.has(key)) {
        seen.add(key);
        findings.push(finding);
      }
    }
  }
  return findings.sort((a, b) => a.index - b.index);
}

// ---------------------------------------------------------------------------
// Normalisation: one pass that keeps, for every character of the normalised
// text, where it came from, so a finding can quote the original text exactly.

interface Normalised {
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

function normalise(text: string): Normalised {
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

interface Span {
  readonly s: number;
  readonly e: number;
}

/** A dot that ends "i.u", "e.g", "q.d" (letters joined by dots) does not end the sentence. */
const DOTTED_ABBREVIATION = /(?:^|[^a-z])(?:[a-z]\.)+[a-z]$/;
const TITLE_ABBREVIATION = /(?:^|[^a-z])(?:dr|mr|mrs|ms|vs|approx|incl|esp)$/;

function splitSentences(text: string): Span[] {
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

interface Token extends Span {
  readonly w: string;
}

const TOKEN = /\d+(?:[.,]\d+)*(?:\/\d+)?|[a-z]+(?:'[a-z]+)*|[,:;()]/g;

function tokenize(text: string, sentence: Span): Token[] {
  const tokens: Token[] = [];
  const slice = text.slice(sentence.s, sentence.e);
  for (const m of slice.matchAll(TOKEN)) {
    const s = sentence.s + (m.index ?? 0);
    tokens.push({ w: m[0], s, e: s + m[0].length });
  }
  return tokens;
}

/** The first and last token inside a character span (-1 when none), by binary search. */
function tokenRange(tokens: readonly Token[], span: Span): { first: number; last: number } {
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
function spansOf(re: RegExp, text: string, sentence: Span): Span[] {
  const spans: Span[] = [];
  const slice = text.slice(sentence.s, sentence.e);
  for (const m of slice.matchAll(re)) {
    const s = sentence.s + (m.index ?? 0);
    if (m[0].length > 0) spans.push({ s, e: s + m[0].length });
  }
  return spans;
}

const overlaps = (a: Span, b: Span): boolean => a.s < b.e && b.s < a.e;
const cover = (a: Span, b: Span): Span => ({ s: Math.min(a.s, b.s), e: Math.max(a.e, b.e) });

// ---------------------------------------------------------------------------
// Compiled word lists.

const escape = (term: string): string => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** "cjc-1295" also matches "cjc 1295" and "cjc1295". */
const termSource = (term: string): string =>
  term
    .split(/[-\s]+/)
    .map(escape)
    .join('[-\\s]?');
const alternation = (sources: readonly string[]): string =>
  [...sources].sort((a, b) => b.length - a.length).join('|');
const wordSet = (words: readonly string[]): ReadonlySet<string> => new Set(words);

/** Not part of a longer word, and not the start of "e.g." after "test e". */
const WORD_START = '(?<![a-z0-9])';
const WORD_END = '(?![a-z0-9]|\\.[a-z0-9])';

interface CompiledGroup {
  readonly re: RegExp;
  readonly kind: SubstanceKind;
  readonly generic: boolean;
  readonly caseSensitive: boolean;
}

const GROUPS: readonly CompiledGroup[] = SUBSTANCE_GROUPS.map((group) => {
  // A plural only after a real word: "test e" + "s" would read "testes".
  const pluralisable = (term: string) => !group.singular && /[a-z]{3}$/.test(term);
  const body = alternation(
    group.terms.map((term) => termSource(term) + (pluralisable(term) ? '(?:e?s)?' : '')),
  );
  const start = group.caseSensitive ? '(?<![A-Za-z0-9])' : WORD_START;
  const end = group.caseSensitive ? '(?![A-Za-z0-9])' : WORD_END;
  return {
    re: new RegExp(`${start}(?:${body})${end}`, 'g'),
    kind: group.kind,
    generic: group.generic ?? false,
    caseSensitive: group.caseSensitive ?? false,
  };
});

const NOT_A_SUBSTANCE_RE = new RegExp(`${WORD_START}(?:${NOT_A_SUBSTANCE.join('|')})`, 'g');
const FIGURATIVE_DOSE_RE = new RegExp(`${WORD_START}(?:${FIGURATIVE_DOSE.join('|')})`, 'g');

const NUMBER_WORD = `(?:${alternation(NUMBER_WORDS)})(?![a-z])`;
const NUMBER_DIGITS = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:[.,]\\d+)?(?: ?\\/ ?\\d+)?|[.,]\\d+';
const NUMBER_WORDS_RUN = `(?:an? )?${NUMBER_WORD}(?:[\\s-]+(?:and )?(?:an? )?${NUMBER_WORD}){0,6}`;
const ONE_NUMBER = `(?:(?:${NUMBER_DIGITS})(?: \\d\\/\\d)?|${NUMBER_WORDS_RUN})`;
/** A number, a fraction, number words ("two and a half"), or a range of them ("100-200"). */
const NUMBER = `${ONE_NUMBER}(?: ?(?:-|to|or) ?${ONE_NUMBER})?(?: (?:of )?an?(?![a-z]))?`;

const AMOUNT_RE = new RegExp(
  `(?<![a-z0-9.,])(?:${NUMBER}) ?-? ?(?:(${alternation(ALWAYS_DOSE_UNITS)})|(${alternation(
    CONTEXT_DOSE_UNITS,
  )}))(?![a-z0-9])`,
  'g',
);

const COUNT_RE = new RegExp(
  `(?<![a-z0-9.,])(?:${NUMBER}|${alternation(COUNT_WORDS)}) (?:[a-z0-9-]+ ){0,3}?(?:${alternation(
    DOSAGE_FORMS,
  )})(?![a-z])`,
  'g',
);

const SCHEDULE_RE = new RegExp(`${WORD_START}(?:${SCHEDULE_PATTERNS.join('|')})(?![a-z])`, 'g');
const SHORTHAND_RE = new RegExp(`${WORD_START}(?:${SCHEDULE_SHORTHAND.join('|')})(?![a-z])`, 'g');

/** Verbs that double their last consonant: stopping, skipped. */
const DOUBLES_FINAL = wordSet([
  'stop',
  'skip',
  'drop',
  'pin',
  'jab',
  'swap',
  'pop',
  'up',
  'rub',
  'trim',
  'step',
  'plan',
  'quit',
  'cut',
  'run',
  'split',
  'get',
]);

/** Regular inflections (-s, -ing, -ed) of a base verb, plus the irregular ones. */
function inflections(base: string): string[] {
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

interface VerbEntry {
  readonly first: ReadonlySet<string>;
  readonly rest: readonly string[];
  readonly level: boolean;
}

function verbEntries(phrases: readonly string[], level: boolean): VerbEntry[] {
  return phrases.map((phrase) => {
    const [head = '', ...rest] = phrase.split(' ');
    return { first: wordSet(inflections(head)), rest, level };
  });
}

const ACTION_VERBS: readonly VerbEntry[] = [
  ...verbEntries(ADMIN_VERBS, false),
  ...verbEntries(LEVEL_VERBS, true),
];
const CHANGE_ONLY_VERBS: readonly VerbEntry[] = verbEntries(DOSE_CHANGE_VERBS, false);
const ACTION_FORMS = wordSet(ACTION_VERBS.flatMap((entry) => [...entry.first]));
/** Before a weak dose noun, these make it a count: "a few drops", "another pump". */
const COUNT_PREFIX = wordSet([...NUMBER_WORDS, 'another', 'extra', 'more', 'single']);

/** Past participles of the action verbs, with whether the verb is a level verb. */
const PARTICIPLES: ReadonlyMap<string, boolean> = new Map(
  [...verbEntries(ADMIN_VERBS, false), ...verbEntries(LEVEL_VERBS, true)]
    .filter((entry) => entry.rest.length === 0)
    .flatMap((entry) =>
      [...entry.first]
        .filter(
          (form) =>
            form.endsWith('ed') ||
            /^(?:taken|held|given|shot|cut|split|quit|run|begun)$/.test(form),
        )
        .map((form): [string, boolean] => [form, entry.level]),
    ),
);

const PHYSIOLOGY_VERB_FORMS = wordSet(PHYSIOLOGY_VERBS.flatMap(inflections));
/** Fillers between a verb and what it governs, with the dose units and forms: "take 2 capsules of". */
const FILLERS = wordSet([
  ...GOVERNED_FILLERS,
  ...DOSE_NOUNS,
  ...WEAK_DOSE_NOUNS,
  'caps',
  'tab',
  'tabs',
  'scoops',
  'sachet',
  'sachets',
  'tsp',
  'teaspoon',
  'mg',
  'mgs',
  'milligrams',
  'mcg',
  'micrograms',
  'ug',
  'ng',
  'cc',
  'iu',
  'i',
  'u',
  'ml',
  'units',
  'unit',
  'g',
  'grams',
  'capsule',
  'tablet',
  'scoop',
  'drop',
  'pump',
  'click',
]);
const PERSONS = wordSet(PERSON_WORDS);
const PHYS_SUBJECTS = wordSet(PHYSIOLOGY_SUBJECTS);
const SKIP = wordSet(SKIP_BACK);
const CLAUSE = wordSet(CLAUSE_STARTS);
const AFTER_PHYS = wordSet(PHYSIOLOGY_AFTER);
const AFTER_PHYS_VERB = wordSet(PHYSIOLOGY_AFTER_VERBS);
const BEFORE_PHYS = wordSet(PHYSIOLOGY_BEFORE);
const HEAD_BEFORE_OF = wordSet(PHYSIOLOGY_HEAD_BEFORE_OF);
const PREDICATES = wordSet(PHYSIOLOGY_PREDICATES);
const COPULA = wordSet(COPULAS);
const PRODUCT = wordSet(PRODUCT_AFTER);
const HORMONE_FALL = wordSet(HORMONE_FALL_VERBS);
const HORMONE_TIME = wordSet(HORMONE_TIME_BEFORE);
const FALLING = wordSet(FALLING_HORMONES);
const DOSE_NOUN = wordSet([...DOSE_NOUNS, ...INJECTION_VERBS.flatMap(inflections)]);
const WEAK_DOSE_NOUN = wordSet(WEAK_DOSE_NOUNS);
const DEVICES = wordSet(DEVICE_WORDS);
const GO_FORMS = wordSet(['goes', 'go', 'went', 'going']);
const UP_DOWN = wordSet(['up', 'down']);
const TO_GOVERNOR = wordSet(TO_GOVERNORS);
const DOSE_META = wordSet(DOSE_META_NOUNS);
const DETERMINERS = wordSet(['the', 'a', 'an', 'your', 'my', 'his', 'her', 'their', 'our', 'some']);
const MODALS = wordSet(['should', 'can', 'may', 'must', 'will', 'would', 'might', 'could', 'to']);
const ADVERBS = wordSet([
  'best',
  'usually',
  'often',
  'then',
  'always',
  'typically',
  'only',
  'also',
  'just',
  'slowly',
  'gradually',
  'not',
  'never',
  'now',
  'normally',
  'ideally',
  'generally',
  'first',
]);
/** Before a weak dose noun, these make it a dose: "your patch", "the gel", "next pump". */
const DOSE_DETERMINERS = wordSet([
  ...DETERMINERS,
  'each',
  'every',
  'next',
  'this',
  'that',
  'weekly',
  'daily',
  'morning',
  'evening',
  'first',
  'last',
  'missed',
  'second',
  'one',
  'two',
]);
/** Words that mark a lifestyle means after "raise your testosterone": "naturally", "by sleeping". */
const MEANS = wordSet(['naturally', 'by', 'through', 'via', 'with']);

const CLINICIAN = alternation(CLINICIAN_WORDS.map(termSource));
const DISCLAIMER_META = alternation(DISCLAIMER_WORDS.map(termSource));
const NEGATION = "(?:not|no|never|nothing|cannot|can't|won't|doesn't|don't|isn't|aren't)";
/**
 * A bounded gap inside a disclaimer (within its clause). Bounded so that a long
 * run-on text cannot make the matching slow; a longer "disclaimer" is simply
 * not exempt, which fails closed.
 */
const GAP = '[^:]{0,100}?';

/**
 * Disclaimers: sentences that only say the product gives no dosing advice, or
 * that a change to any medication is the clinician's. They name dosing words
 * ("change", "dose", "medication") without instructing a change, so the
 * action and dose-change rules do not fire on the verbs inside them. Amounts,
 * schedules and counts still do, and a disclaimer that names a product
 * ("do not stop anastrozole without your clinician") is not exempt: see
 * `exemptRanges`.
 */
const DISCLAIMERS: readonly RegExp[] = [
  // "This handout gives no dosing advice.", "It never gives dosing advice."
  new RegExp(
    `^(?:(?:this|the|our|these|that) [a-z ]{0,30}?|it |we |nothing (?:here|in this [a-z]+) )${GAP}\\b${NEGATION}\\b${GAP}\\b(?:${DISCLAIMER_META})\\b[^:]*`,
    'g',
  ),
  // "Do not change your dose without talking to your clinician."
  new RegExp(
    `\\b(?:do not|don't|dont|never|please do not|please don't|avoid)\\b${GAP}\\bwithout\\b${GAP}\\b(?:${CLINICIAN})s?\\b`,
    'g',
  ),
  // "Talk to your clinician before changing any medication."
  new RegExp(
    `\\b(?:talk|speak|check|consult|ask)\\b${GAP}\\b(?:${CLINICIAN})s?\\b (?:first )?before\\b[^:]*`,
    'g',
  ),
  // "Before you change any medication, talk to your clinician."
  new RegExp(
    `\\bbefore\\b${GAP}, (?:please )?(?:talk|speak|check|consult|ask)\\b${GAP}\\b(?:${CLINICIAN})s?\\b`,
    'g',
  ),
  // "Changes to your dose are your clinician's decision."
  new RegExp(
    `^[^:]{0,160}?\\b(?:${CLINICIAN})s?(?:'s)? (?:alone |only )?(?:decides?|decision|decisions|call|job|role|responsibility)\\b[^:]*`,
    'g',
  ),
  // "Take your medication exactly as prescribed."
  new RegExp(
    `^[^:]{0,160}?\\b(?:as (?:prescribed|directed)|as your (?:${CLINICIAN}) (?:prescribed|directed|advised))\\b[^:]*`,
    'g',
  ),
];

// ---------------------------------------------------------------------------
// The rules.

type Rule = DosingFinding['rule'];

interface RawFinding extends Span {
  readonly rule: Rule;
}

interface Mention extends Span {
  readonly kind: SubstanceKind;
  readonly generic: boolean;
  readonly first: number;
  readonly last: number;
  /** Named as the product ("testosterone dose", "estradiol patch"). */
  readonly product: boolean;
  /** Physiology, food or a lab value ("testosterone levels", "low testosterone", "zinc-rich"). */
  readonly physiology: boolean;
  /** Only the subject of a physiology verb ("zinc helps", "melatonin rises"): may still be acted on. */
  readonly physiologySubjectOnly: boolean;
  /** The object of a physiology verb ("light suppresses melatonin"): not scheduled or counted. */
  readonly physiologyObject: boolean;
}

interface VerbHit {
  readonly first: number;
  readonly last: number;
  readonly level: boolean;
}

function findMentions(norm: Normalised, sentence: Span, tokens: readonly Token[]): Mention[] {
  const blocked = spansOf(NOT_A_SUBSTANCE_RE, norm.lower, sentence);
  const found: (Span & { group: CompiledGroup })[] = [];
  for (const group of GROUPS) {
    const source = group.caseSensitive ? norm.cased : norm.lower;
    for (const span of spansOf(group.re, source, sentence)) found.push({ ...span, group });
  }
  // Longest match wins ("testosterone cypionate" over "testosterone").
  found.sort((a, b) => b.e - b.s - (a.e - a.s) || a.s - b.s);
  const kept: (Span & { group: CompiledGroup })[] = [];
  for (const candidate of found) {
    if (kept.some((other) => overlaps(other, candidate))) continue;
    if (blocked.some((span) => overlaps(span, candidate))) continue;
    kept.push(candidate);
  }
  kept.sort((a, b) => a.s - b.s);
  return kept.flatMap((candidate) => {
    const { first, last } = tokenRange(tokens, candidate);
    if (first < 0) return [];
    return [classify(norm.lower, tokens, candidate, candidate.group, first, last)];
  });
}

function classify(
  text: string,
  tokens: readonly Token[],
  span: Span,
  group: CompiledGroup,
  first: number,
  last: number,
): Mention {
  const word = (i: number): string => tokens[i]?.w ?? '';
  const name = text.slice(span.s, span.e).replace(/[-\s]+/g, ' ');
  const endogenous = group.kind === 'endogenous';
  const next = word(last + 1);
  const product = PRODUCT.has(next) && !(HORMONE_FALL.has(next) && FALLING.has(name));
  let physiology = false;
  let subject = false;
  if (!product) {
    if (AFTER_PHYS.has(next)) physiology = true;
    if (AFTER_PHYS_VERB.has(next)) subject = true;
    if (FALLING.has(name) && HORMONE_FALL.has(next)) subject = true;
    // "testosterone goes up after lifting": the level, not the dose.
    if (endogenous && GO_FORMS.has(next) && UP_DOWN.has(word(last + 2))) subject = true;
    // "testosterone is highest in the morning", "growth hormone is released in deep sleep".
    if (endogenous && COPULA.has(next)) {
      let j = last + 2;
      while (ADVERBS.has(word(j))) j++;
      if (PREDICATES.has(word(j))) subject = true;
    }
    const prev = word(first - 1);
    if (BEFORE_PHYS.has(prev)) physiology = true;
    if (FALLING.has(name) && HORMONE_TIME.has(prev)) physiology = true;
    if (['of', 'in', 'to', 'on', 'for'].includes(prev) && HEAD_BEFORE_OF.has(word(first - 2))) {
      physiology = true;
    }
  }
  let physiologyObject = false;
  if (endogenous && !product) {
    let j = first - 1;
    while (DETERMINERS.has(word(j)) || ADVERBS.has(word(j))) j--;
    physiologyObject = PHYSIOLOGY_VERB_FORMS.has(word(j));
  }
  return {
    s: span.s,
    e: span.e,
    kind: group.kind,
    generic: group.generic,
    first,
    last,
    product,
    physiology: physiology || subject,
    physiologySubjectOnly: subject && !physiology,
    physiologyObject,
  };
}

function findVerbs(tokens: readonly Token[], entries: readonly VerbEntry[]): VerbHit[] {
  const hits: VerbHit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (const entry of entries) {
      if (!entry.first.has(tokens[i]?.w ?? '')) continue;
      if (entry.rest.every((word, k) => tokens[i + 1 + k]?.w === word)) {
        hits.push({ first: i, last: i + entry.rest.length, level: entry.level });
        break;
      }
    }
  }
  return hits;
}

/** Walks back from a verb over modals, adverbs and "try to"; returns the token index reached. */
function lookBack(tokens: readonly Token[], from: number): number {
  let j = from - 1;
  while (j >= 0 && SKIP.has(tokens[j]?.w ?? '')) j--;
  return j;
}

/**
 * True when the verb is aimed at the reader: an imperative (nothing but
 * modals and adverbs before it in its clause: "Try to lower your estradiol")
 * or a person as its subject ("you should raise", "patients take"). A "to"
 * that no instruction word governs starts a purpose instead ("Sleep more to
 * raise testosterone", "To raise testosterone, sleep"): not aimed.
 */
function directive(tokens: readonly Token[], verb: number): boolean {
  let j = verb - 1;
  let modal = false;
  while (j >= 0) {
    const w = tokens[j]?.w ?? '';
    if (MODALS.has(w) && w !== 'to') modal = true;
    if (w === 'to') {
      let k = j - 1;
      while (k >= 0 && ADVERBS.has(tokens[k]?.w ?? '')) k--;
      if (!TO_GOVERNOR.has(tokens[k]?.w ?? '')) return false;
    } else if (!SKIP.has(w)) {
      break;
    }
    j--;
  }
  const w = tokens[j]?.w ?? '';
  if (PERSONS.has(w)) return true;
  // An imperative has no modal: "..., can lower melatonin" has its subject further back.
  return (j < 0 || CLAUSE.has(w)) && !modal;
}

/** True when the verb's subject is the body or a lifestyle factor: "the body uses zinc". */
function physiologySubject(tokens: readonly Token[], verb: number): boolean {
  const j = lookBack(tokens, verb);
  return j >= 0 && PHYS_SUBJECTS.has(tokens[j]?.w ?? '');
}

const USE_FORMS = wordSet([...inflections('take'), ...inflections('use')]);
const CONDITIONS = wordSet(['if', 'when', 'whenever', 'whether', 'while']);

/**
 * "If you use cannabis, ...", "when you take melatonin": a condition that
 * names what the reader already takes, without saying how much or when, so it
 * is not an action (what follows the comma is checked on its own). Any other
 * verb in a condition still counts: "if you stop testosterone", "if you miss a dose".
 */
function conditionOfUse(tokens: readonly Token[], verb: VerbHit): boolean {
  if (verb.first !== verb.last || !USE_FORMS.has(tokens[verb.first]?.w ?? '')) return false;
  let j = verb.first - 1;
  while (
    ADVERBS.has(tokens[j]?.w ?? '') ||
    ['already', 'currently', 'ever', 'do'].includes(tokens[j]?.w ?? '')
  )
    j--;
  return PERSONS.has(tokens[j]?.w ?? '') && CONDITIONS.has(tokens[j - 1]?.w ?? '');
}

/** The mention the verb governs: the next one, with only fillers ("your weekly") between. */
function governed(
  tokens: readonly Token[],
  verb: VerbHit,
  mentions: readonly Mention[],
): Mention | undefined {
  for (let j = verb.last + 1; j <= verb.last + 7 && j < tokens.length; j++) {
    const mention = mentions.find((m) => m.first === j);
    if (mention) return mention;
    const w = tokens[j]?.w ?? '';
    if (!FILLERS.has(w) && !/^\d/.test(w)) return undefined;
  }
  return undefined;
}

/** "Raise testosterone naturally", "lower estradiol by cutting alcohol": a means with no substance in it. */
function lifestyleMeans(tokens: readonly Token[], mention: Mention, mentions: readonly Mention[]) {
  for (let j = mention.last + 1; j < tokens.length; j++) {
    const w = tokens[j]?.w ?? '';
    if (w === ',' || w === ';') return false;
    if (MEANS.has(w)) return !mentions.some((m) => m.first > j && !m.physiology);
  }
  return false;
}

function exemptRanges(text: string, sentence: Span, mentions: readonly Mention[]): Span[] {
  const ranges: Span[] = [];
  for (const re of DISCLAIMERS) {
    for (const range of spansOf(re, text, sentence)) {
      // A disclaimer may name dosing generically, never a named product or a count.
      const named = mentions.some((m) => overlaps(m, range) && !m.generic && !m.physiology);
      const counted =
        spansOf(COUNT_RE, text, range).length > 0 || /\d/.test(text.slice(range.s, range.e));
      if (!named && !counted) ranges.push(range);
    }
  }
  return ranges;
}

/**
 * A volume under 5 ml is an injection or an oral solution, never a lifestyle
 * amount (water and food come in hundreds of ml), so it counts without a
 * substance: "Pin 0.3 ml", "Go to 0.5 mL on Monday".
 */
function smallVolume(amount: string): boolean {
  const number = /^[\d.,]+/.exec(amount)?.[0];
  const volume = /(?:ml|mls|milli-?lit(?:er|re)s?)$/.test(amount);
  return volume && number !== undefined && Number(number.replace(',', '.')) < 5;
}

/** Tokens that may sit between a substance and its schedule: "your anastrozole is taken on Mondays". */
function attachable(w: string): boolean {
  return (
    FILLERS.has(w) ||
    PRODUCT.has(w) ||
    COPULA.has(w) ||
    MODALS.has(w) ||
    ADVERBS.has(w) ||
    ACTION_FORMS.has(w) ||
    /^[\d,:()]/.test(w) ||
    ['at', 'on', 'in', 'with', 'per', 'is', 'are', 'then', 'x'].includes(w)
  );
}

/** True when the schedule belongs to the substance: close, with at most one other word between. */
function scheduleAttaches(tokens: readonly Token[], mention: Mention, schedule: Span): boolean {
  const range = tokenRange(tokens, schedule);
  if (range.first < 0) return false;
  const [from, to] =
    range.first > mention.last ? [mention.last + 1, range.first] : [range.last + 1, mention.first];
  if (to - from > 7) return false;
  let unknown = 0;
  for (let j = from; j < to; j++) if (!attachable(tokens[j]?.w ?? '')) unknown++;
  return unknown <= 1;
}

/** Words after a bare number that keep it a dose: "anastrozole 0.5 twice a week", "test e at 140". */
const AFTER_BARE_NUMBER = wordSet([
  '',
  ',',
  ';',
  ':',
  ')',
  '(',
  'a',
  'an',
  'per',
  'every',
  'each',
  'once',
  'twice',
  'weekly',
  'daily',
  'nightly',
  'on',
  'at',
  'before',
  'after',
  'with',
  'and',
  'or',
  'then',
  'split',
  'x',
  'eod',
  'ed',
]);
const BEFORE_BARE_NUMBER = wordSet(['at', 'of', 'to', 'is', 'was', 'from', 'now', 'stays', 'goes']);

/**
 * A bare number that is a dose of a named substance: "anastrozole 0.5 twice a
 * week", "test e at 140 weekly", "0.5 of your arimidex", "half of your
 * anastrozole". Numbers followed by a lifestyle unit ("percent", "hours") are not.
 */
function bareNumbers(tokens: readonly Token[], mentions: readonly Mention[]): Span[] {
  const spans: Span[] = [];
  const isNumber = (w: string) => /^\d/.test(w);
  for (const mention of mentions) {
    let j = mention.last + 1;
    while (
      j <= mention.last + 3 &&
      (PRODUCT.has(tokens[j]?.w ?? '') || BEFORE_BARE_NUMBER.has(tokens[j]?.w ?? ''))
    )
      j++;
    const number = tokens[j];
    if (number && isNumber(number.w)) {
      const after = tokens[j + 1]?.w ?? '';
      if (AFTER_BARE_NUMBER.has(after) || isNumber(after))
        spans.push(cover(tokens[mention.first] ?? number, number));
    }
    let k = mention.first - 1;
    while (DETERMINERS.has(tokens[k]?.w ?? '')) k--;
    const before = tokens[k - 1];
    if (
      tokens[k]?.w === 'of' &&
      before &&
      (isNumber(before.w) || ['half', 'quarter'].includes(before.w))
    ) {
      spans.push(cover(before, mention));
    }
  }
  return spans;
}

function checkSentence(norm: Normalised, sentence: Span): RawFinding[] {
  const text = norm.lower;
  const tokens = tokenize(text, sentence);
  const mentions = findMentions(norm, sentence, tokens);
  const exempt = exemptRanges(text, sentence, mentions);
  const isExempt = (span: Span): boolean => exempt.some((range) => overlaps(range, span));
  const tokenSpan = (first: number, last: number): Span => ({
    s: tokens[first]?.s ?? sentence.s,
    e: tokens[last]?.e ?? sentence.e,
  });
  const findings: RawFinding[] = [];
  const figurative = spansOf(FIGURATIVE_DOSE_RE, text, sentence);
  const devices = tokens.some((token) => DEVICES.has(token.w));
  const doseNouns = findDoseNouns(tokens, mentions, figurative, devices);

  /** Substances that can carry a schedule, count or amount: not physiology, food or a protocol name. */
  const usable = mentions.filter(
    (m) => !m.physiology && !m.physiologyObject && m.kind !== 'amount-context',
  );

  // 1. amount: a number with a dose unit. mg, mcg, µg, ng, IU and cc always;
  //    ml, units and grams when the sentence names a substance (or TRT/HRT) or a dose.
  const doseContext =
    mentions.some((m) => !m.physiology && !m.physiologyObject) || doseNouns.length > 0;
  for (const m of text.slice(sentence.s, sentence.e).matchAll(AMOUNT_RE)) {
    const s = sentence.s + (m.index ?? 0);
    if (m[1] !== undefined || doseContext || smallVolume(m[0])) {
      findings.push({ rule: 'amount', s, e: s + m[0].length });
    }
  }
  const protocols = mentions.filter((m) => m.kind === 'amount-context');
  for (const span of bareNumbers(tokens, [...usable, ...protocols])) {
    findings.push({ rule: 'amount', ...span });
  }

  // 2. substance-action: a verb that acts on a medication, governing a substance.
  const verbs = findVerbs(tokens, ACTION_VERBS);
  for (const verb of verbs) {
    const mention = governed(tokens, verb, mentions);
    if (!mention || mention.kind === 'amount-context') continue;
    if (mention.physiology && !mention.physiologySubjectOnly) continue;
    const verbSpan = tokenSpan(verb.first, verb.last);
    if (isExempt(verbSpan)) continue;
    if (verb.level) {
      // "lower/raise/boost": physiology says these all the time about the body's
      // own hormones ("short sleep lowers testosterone"). Endogenous names count
      // only when the product is meant, or the verb is aimed at the reader
      // without a lifestyle means ("raise testosterone naturally").
      const aimed = directive(tokens, verb.first) && !lifestyleMeans(tokens, mention, mentions);
      if (mention.kind === 'endogenous' && !mention.product && !aimed) continue;
    } else if (physiologySubject(tokens, verb.first) || conditionOfUse(tokens, verb)) {
      continue;
    }
    findings.push({ rule: 'substance-action', ...cover(verbSpan, mention) });
  }
  // Passive: "testosterone is injected weekly", "DHEA should be taken in the morning".
  for (const mention of mentions) {
    if (mention.kind === 'amount-context') continue;
    if (mention.physiology && !mention.physiologySubjectOnly) continue;
    const j = passiveParticiple(tokens, mention.last);
    const level = j === undefined ? undefined : PARTICIPLES.get(tokens[j]?.w ?? '');
    if (j === undefined || level === undefined) continue;
    if (level && mention.kind === 'endogenous' && !mention.product) continue;
    const span = tokenSpan(mention.first, j);
    if (!isExempt(span)) findings.push({ rule: 'substance-action', ...span });
  }
  // "Ozempic goes up to 0.5", "your testosterone dose went down": the product as subject.
  for (const mention of mentions) {
    if (mention.kind === 'amount-context' || mention.physiology) continue;
    if (mention.kind === 'endogenous' && !mention.product) continue;
    let j = mention.last + 1;
    while (PRODUCT.has(tokens[j]?.w ?? '') || DOSE_TO_VERB.has(tokens[j]?.w ?? '')) j++;
    if (j > mention.last + 1 && UP_DOWN.has(tokens[j]?.w ?? '')) {
      findings.push({ rule: 'substance-action', ...tokenSpan(mention.first, j) });
    }
  }

  // 3. substance-schedule: a frequency or timing attached to a substance.
  const schedules = spansOf(SCHEDULE_RE, text, sentence);
  for (const mention of usable) {
    const schedule = schedules.find((span) => scheduleAttaches(tokens, mention, span));
    if (schedule) findings.push({ rule: 'substance-schedule', ...cover(mention, schedule) });
  }
  // "TRT twice weekly": a protocol name with its schedule straight after it
  // ("lift twice weekly on TRT" is lifestyle, so only this order counts).
  for (const mention of protocols) {
    const next = tokens[mention.last + 1];
    const schedule = next && schedules.find((span) => span.s === next.s);
    if (schedule) findings.push({ rule: 'substance-schedule', ...cover(mention, schedule) });
  }

  // 4. substance-count: a count of a dosage form in a sentence naming a substance.
  if (usable.length > 0) {
    for (const count of spansOf(COUNT_RE, text, sentence)) {
      if (figurative.some((span) => overlaps(span, count))) continue;
      if (devices && /tab/.test(text.slice(count.s, count.e))) continue;
      // "a sleeping pill" names the substance; the count is its own article.
      if (mentions.some((m) => m.e === count.e)) continue;
      findings.push({ rule: 'substance-count', ...count });
    }
  }

  // 5. dose-change: a dose named without a substance, with an action on it, a
  //    schedule in the sentence, or a number after it.
  const changeVerbs = [...verbs, ...findVerbs(tokens, CHANGE_ONLY_VERBS)];
  for (const i of doseNouns) {
    const noun = tokens[i];
    if (!noun) continue;
    const verb = changeVerbs.find(
      (v) =>
        (v.first > i || v.last < i) &&
        actsOnDose(tokens, v, i) &&
        !isExempt(tokenSpan(v.first, v.last)),
    );
    // "your dose stays at 100", "your dose goes down": a number or a direction after it.
    let n = i + 1;
    while (n <= i + 3 && BEFORE_BARE_NUMBER.has(tokens[n]?.w ?? '')) n++;
    let d = i + 1;
    while (d <= i + 3 && DOSE_TO_VERB.has(tokens[d]?.w ?? '')) d++;
    const after = /^\d/.test(tokens[n]?.w ?? '')
      ? tokens[n]
      : d > i + 1 && UP_DOWN.has(tokens[d]?.w ?? '')
        ? tokens[d]
        : undefined;
    const trigger =
      (verb && tokenSpan(verb.first, verb.last)) ??
      schedules.find((span) => !isExempt(span)) ??
      after;
    if (trigger) findings.push({ rule: 'dose-change', ...cover(noun, trigger) });
  }
  // Prescription shorthand (EOD, E3.5D, q.d.) schedules a dose on its own.
  for (const span of spansOf(SHORTHAND_RE, text, sentence)) {
    findings.push({ rule: 'dose-change', ...span });
  }

  return findings;
}

/** Where the participle of a passive after a substance is: "testosterone (dose) is (usually) injected". */
function passiveParticiple(tokens: readonly Token[], last: number): number | undefined {
  let j = last + 1;
  while (PRODUCT.has(tokens[j]?.w ?? '') || MODALS.has(tokens[j]?.w ?? '')) j++;
  if (!COPULA.has(tokens[j]?.w ?? '')) return undefined;
  j++;
  while (COPULA.has(tokens[j]?.w ?? '') || ADVERBS.has(tokens[j]?.w ?? '')) j++;
  return PARTICIPLES.has(tokens[j]?.w ?? '') ? j : undefined;
}

/** Words between a dose noun and a verb after it: "your dosage goes up", "the dose should be lowered". */
const DOSE_TO_VERB = wordSet([
  ...COPULAS,
  ...MODALS,
  ...ADVERBS,
  'goes',
  'go',
  'went',
  'will',
  'has',
  'had',
  'needs',
  'gets',
]);

/** True when the verb acts on the dose noun: it governs it, or follows it as its predicate. */
function actsOnDose(tokens: readonly Token[], verb: VerbHit, noun: number): boolean {
  if (verb.last < noun) {
    if (noun - verb.last > 7) return false;
    for (let j = verb.last + 1; j < noun; j++) {
      const w = tokens[j]?.w ?? '';
      if (!FILLERS.has(w) && !/^\d/.test(w) && !['missed', 'next', 'last', 'first'].includes(w))
        return false;
    }
    return true;
  }
  if (verb.first - noun > 4) return false;
  for (let j = noun + 1; j < verb.first; j++)
    if (!DOSE_TO_VERB.has(tokens[j]?.w ?? '')) return false;
  return true;
}

/** Token indexes of dose nouns ("dose", "injection", "inject", "two pumps"), without figurative uses. */
function findDoseNouns(
  tokens: readonly Token[],
  mentions: readonly Mention[],
  figurative: readonly Span[],
  devices: boolean,
): number[] {
  const found: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    const weak = WEAK_DOSE_NOUN.has(token.w);
    if (!weak && !DOSE_NOUN.has(token.w)) continue;
    if (figurative.some((span) => overlaps(span, token))) continue;
    if (DOSE_META.has(tokens[i + 1]?.w ?? '')) continue;
    if (devices && /^tablets?$/.test(token.w)) continue;
    const prev = tokens[i - 1]?.w ?? '';
    const afterMention = mentions.find((m) => m.last === i - 1);
    // "testosterone drops after short nights": the level falling, not a dosage form.
    if (afterMention?.physiology) continue;
    // A singular "drop" is a dose only after a number ("one drop"): "a drop in temperature" is not.
    if (token.w === 'drop' && !COUNT_PREFIX.has(prev) && !/^\d/.test(prev)) continue;
    if (
      weak &&
      !afterMention &&
      !DOSE_DETERMINERS.has(prev) &&
      !/^\d/.test(prev) &&
      !COUNT_PREFIX.has(prev)
    ) {
      continue;
    }
    found.push(i);
  }
  return found;
}
