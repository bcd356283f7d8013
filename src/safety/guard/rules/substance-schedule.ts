import type { GuardRule } from '../rule';
import type { Mention, Sentence } from '../sentence';
import { cover, Span, Token, tokenRange } from '../text';
import { ACTION_FORMS, ADVERBS, COPULA, DOSE_NOUN, FILLERS, MODALS, PRODUCT } from '../words';

/**
 * substance-schedule: a frequency or timing attached to a substance (close,
 * at most one unrelated word between), except across the comma that closes a
 * setting ("On GH peptide therapy, lift earlier in the day"); and a protocol
 * name with its schedule straight after it ("TRT twice weekly", "your TRT is
 * twice a week").
 */
export const substanceScheduleRule: GuardRule = {
  id: 'substance-schedule',
  find(sentence: Sentence): Span[] {
    const { tokens, schedules } = sentence;
    const found: Span[] = [];
    for (const mention of sentence.usable) {
      const end = settingEnd(sentence, mention);
      const schedule = schedules.find(
        (span) => (end === undefined || span.s < end) && scheduleAttaches(tokens, mention, span),
      );
      if (schedule) found.push(cover(mention, schedule));
    }
    // "TRT twice weekly", "your TRT is twice a week": a protocol name with its
    // schedule straight after it ("lift twice weekly on TRT" is lifestyle, so
    // only this order counts).
    for (const mention of sentence.protocols) {
      let j = mention.last + 1;
      while (
        j <= mention.last + 3 &&
        (PRODUCT.has(tokens[j]?.w ?? '') || COPULA.has(tokens[j]?.w ?? ''))
      )
        j++;
      const next = tokens[j];
      const schedule = next && schedules.find((span) => span.s === next.s);
      if (schedule) found.push(cover(mention, schedule));
    }
    return found;
  },
};

/**
 * "On testosterone therapy, lift three times a week": a substance in an "on"
 * phrase that opens the sentence and ends at a comma is the setting of the
 * sentence, and what follows the comma is a main clause with its own verb,
 * not the substance's schedule. Returns where the comma is. Not when the
 * main clause starts with an action on a dose or with the schedule itself:
 * "On anastrozole, take it twice a week", "On anastrozole, twice a week is usual".
 */
function settingEnd(sentence: Sentence, mention: Mention): number | undefined {
  const { tokens, mentions } = sentence;
  const inName = (j: number) =>
    mentions.some((m) => m.first <= j && j <= m.last) ||
    PRODUCT.has(tokens[j]?.w ?? '') ||
    NAME_WORDS.has(tokens[j]?.w ?? '');
  let j = mention.first - 1;
  while (j >= 0 && inName(j)) j--;
  if (tokens[j]?.w !== 'on' || !(j === 0 || ['while', 'when'].includes(tokens[j - 1]?.w ?? '')))
    return undefined;
  let k = mention.last + 1;
  while (k < tokens.length && inName(k)) k++;
  const comma = tokens[k];
  const verb = tokens[k + 1];
  if (comma?.w !== ',' || !verb || !/^[a-z]/.test(verb.w)) return undefined;
  if (ACTION_FORMS.has(verb.w) || DOSE_NOUN.has(verb.w)) return undefined;
  if (sentence.schedules.some((span) => span.s === verb.s)) return undefined;
  return comma.s;
}
/** Words that may continue a therapy's name: "GH peptide therapy". */
const NAME_WORDS = new Set(['peptide', 'peptides', 'hormone', 'hormones']);

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
