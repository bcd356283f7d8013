import { exemptRanges } from './disclaimers';
import { isNumber, Normalised, overlaps, Span, spansOf, Token, tokenize, tokenRange } from './text';
import {
  ACTION_VERBS,
  ADVERBS,
  AFTER_PHYS,
  AFTER_PHYS_VERB,
  BEFORE_PHYS,
  CLAUSE,
  CompiledGroup,
  COPULA,
  COUNT_PREFIX,
  DETERMINERS,
  DEVICES,
  DOSE_DETERMINERS,
  DOSE_META,
  DOSE_NOUN,
  DOSE_TO_VERB,
  FALLING,
  FIGURATIVE_DOSE_RE,
  FILLERS,
  GO_FORMS,
  GROUPS,
  HEAD_BEFORE_OF,
  HORMONE_FALL,
  HORMONE_TIME,
  MEANS,
  MODALS,
  NOT_A_SUBSTANCE_RE,
  PERSONS,
  PHYS_SUBJECTS,
  PHYSIOLOGY_VERB_FORMS,
  PREDICATES,
  PRODUCT,
  SCHEDULE_RE,
  SKIP,
  SUBORDINATORS,
  TO_GOVERNOR,
  UP_DOWN,
  VerbEntry,
  WEAK_DOSE_NOUN,
} from './words';
import type { SubstanceKind } from '../../content/lexicon';

/*
 * What every rule needs to know about one sentence, worked out once: its
 * tokens, the substances it names and whether each is physiology or the
 * product, its dose nouns, action verbs, schedules and disclaimer clauses.
 */

export interface Mention extends Span {
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

export interface VerbHit {
  readonly first: number;
  readonly last: number;
  readonly level: boolean;
}

export interface Sentence extends Span {
  /** The whole normalised text the sentence is in. */
  readonly norm: Normalised;
  /** `norm.lower`: the text every rule matches on. */
  readonly text: string;
  readonly tokens: readonly Token[];
  /** Every substance named, in order. */
  readonly mentions: readonly Mention[];
  /** Substances that can carry a schedule, count or amount: not physiology, food or a protocol name. */
  readonly usable: readonly Mention[];
  /** Protocol names (TRT, HRT). */
  readonly protocols: readonly Mention[];
  /** Token indexes of dose nouns ("dose", "injection", "inject", "two pumps"), not figurative ones. */
  readonly doseNouns: readonly number[];
  /** Figurative uses of a dose word ("a dose of daylight"). */
  readonly figurative: readonly Span[];
  /** The sentence names a screen or device ("tablet" is then not a dosage form). */
  readonly devices: boolean;
  /** The action verbs (start, stop, take, lower...) in it. */
  readonly verbs: readonly VerbHit[];
  /** Schedules and timings in it ("twice a week", "before bed"). */
  readonly schedules: readonly Span[];
  /** True when the span lies in a disclaimer clause. */
  isExempt(span: Span): boolean;
  /** The character span of tokens first..last. */
  tokenSpan(first: number, last: number): Span;
  /** The sentence before this one in the same text, if any. */
  readonly previous: Sentence | undefined;
}

/** Works out everything the rules need about the sentence at `span` of `norm`. */
export function analyseSentence(
  norm: Normalised,
  span: Span,
  previous: Sentence | undefined,
): Sentence {
  const text = norm.lower;
  const tokens = tokenize(text, span);
  const mentions = findMentions(norm, span, tokens);
  const exempt = exemptRanges(text, span, mentions);
  const figurative = spansOf(FIGURATIVE_DOSE_RE, text, span);
  const devices = tokens.some((token) => DEVICES.has(token.w));
  return {
    s: span.s,
    e: span.e,
    norm,
    text,
    tokens,
    mentions,
    usable: mentions.filter(
      (m) => !m.physiology && !m.physiologyObject && m.kind !== 'amount-context',
    ),
    protocols: mentions.filter((m) => m.kind === 'amount-context'),
    doseNouns: findDoseNouns(tokens, mentions, figurative, devices),
    figurative,
    devices,
    verbs: findVerbs(tokens, ACTION_VERBS),
    schedules: spansOf(SCHEDULE_RE, text, span),
    isExempt: (target: Span): boolean => exempt.some((range) => overlaps(range, target)),
    tokenSpan: (first: number, last: number): Span => ({
      s: tokens[first]?.s ?? span.s,
      e: tokens[last]?.e ?? span.e,
    }),
    previous,
  };
}

// ---------------------------------------------------------------------------
// Substances.

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

// ---------------------------------------------------------------------------
// Verbs and who they are aimed at.

export function findVerbs(tokens: readonly Token[], entries: readonly VerbEntry[]): VerbHit[] {
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
export function directive(tokens: readonly Token[], verb: number): boolean {
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

const SECOND_PERSON = new Set(['you', "you'll", "you're", 'we', "we'll", "we're"]);

/**
 * True when the verb is an instruction to the reader: an imperative ("Come
 * off TRT"), or "you"/"we" as its subject ("you should stop TRT") outside a
 * condition or a time clause ("when you come off TRT, ..."). Narrower than
 * `directive`: a third person ("men starting TRT") is education, not an
 * instruction.
 */
export function instruction(tokens: readonly Token[], verb: number): boolean {
  if (!directive(tokens, verb)) return false;
  const j = lookBack(tokens, verb);
  const w = tokens[j]?.w ?? '';
  if (j < 0 || CLAUSE.has(w)) return true;
  if (!SECOND_PERSON.has(w)) return false;
  return !SUBORDINATORS.has(tokens[j - 1]?.w ?? '');
}
/** True when the verb's subject is the body or a lifestyle factor: "the body uses zinc". */
export function physiologySubject(tokens: readonly Token[], verb: number): boolean {
  const j = lookBack(tokens, verb);
  return j >= 0 && PHYS_SUBJECTS.has(tokens[j]?.w ?? '');
}

// ---------------------------------------------------------------------------
// What a verb governs.

/** The mention the verb governs: the next one, with only fillers ("your weekly") between. */
export function governed(
  tokens: readonly Token[],
  verb: VerbHit,
  mentions: readonly Mention[],
): Mention | undefined {
  for (let j = verb.last + 1; j <= verb.last + 7 && j < tokens.length; j++) {
    const mention = mentions.find((m) => m.first === j);
    if (mention) return mention;
    const w = tokens[j]?.w ?? '';
    if (!FILLERS.has(w) && !isNumber(w)) return undefined;
  }
  return undefined;
}

/**
 * True when the verb acts on the dose noun: it governs it (with fillers or the
 * substance between: "raise your TRT dose"), or follows it as its predicate.
 */
export function actsOnDose(
  tokens: readonly Token[],
  verb: VerbHit,
  noun: number,
  mentions: readonly Mention[],
): boolean {
  if (verb.last < noun) {
    if (noun - verb.last > 7) return false;
    for (let j = verb.last + 1; j < noun; j++) {
      const w = tokens[j]?.w ?? '';
      const named = mentions.some((m) => m.first <= j && j <= m.last);
      if (
        !FILLERS.has(w) &&
        !isNumber(w) &&
        !named &&
        !['missed', 'next', 'last', 'first'].includes(w)
      )
        return false;
    }
    return true;
  }
  if (verb.first - noun > 4) return false;
  for (let j = noun + 1; j < verb.first; j++)
    if (!DOSE_TO_VERB.has(tokens[j]?.w ?? '')) return false;
  return true;
}

/** "Raise testosterone naturally", "lower estradiol by cutting alcohol": a means with no substance in it. */
export function lifestyleMeans(
  tokens: readonly Token[],
  mention: Mention,
  mentions: readonly Mention[],
): boolean {
  for (let j = mention.last + 1; j < tokens.length; j++) {
    const w = tokens[j]?.w ?? '';
    if (w === ',' || w === ';') return false;
    if (MEANS.has(w)) return !mentions.some((m) => m.first > j && !m.physiology);
  }
  return false;
}

// ---------------------------------------------------------------------------
// Dose nouns.

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
    if (token.w === 'drop' && !COUNT_PREFIX.has(prev) && !isNumber(prev)) continue;
    if (
      weak &&
      !afterMention &&
      !DOSE_DETERMINERS.has(prev) &&
      !isNumber(prev) &&
      !COUNT_PREFIX.has(prev)
    ) {
      continue;
    }
    found.push(i);
  }
  return found;
}
