import type { GuardRule } from '../rule';
import type { Sentence } from '../sentence';
import { overlaps, Span, spansOf } from '../text';
import { COUNT_RE } from '../words';

/**
 * substance-count: a count of a dosage form ("two capsules") in a sentence
 * naming a substance.
 */
export const substanceCountRule: GuardRule = {
  id: 'substance-count',
  find(sentence: Sentence): Span[] {
    const { text, mentions } = sentence;
    if (sentence.usable.length === 0) return [];
    const found: Span[] = [];
    for (const count of spansOf(COUNT_RE, text, sentence)) {
      if (sentence.figurative.some((span) => overlaps(span, count))) continue;
      if (sentence.devices && /tab/.test(text.slice(count.s, count.e))) continue;
      // "a sleeping pill" names the substance; the count is its own article.
      if (mentions.some((m) => m.e === count.e)) continue;
      found.push(count);
    }
    return found;
  },
};
