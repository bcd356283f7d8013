import type { GuardRule } from '../rule';
import type { Mention, Sentence } from '../sentence';
import { cover, isNumber, Span, Token } from '../text';
import { AFTER_BARE_NUMBER, AMOUNT_RE, BEFORE_BARE_NUMBER, DETERMINERS, PRODUCT } from '../words';

/**
 * amount: a number with a dose unit. mg, mcg, µg, ng, IU and cc always (lab
 * values in those units are refused too); ml, units and grams only when the
 * sentence names a substance, a dose or a protocol (ml under 5 always); a bare
 * number right after a substance ("anastrozole 0.5 twice a week").
 */
export const amountRule: GuardRule = {
  id: 'amount',
  find(sentence: Sentence): Span[] {
    const { text, mentions, doseNouns } = sentence;
    const found: Span[] = [];
    const doseContext =
      mentions.some((m) => !m.physiology && !m.physiologyObject) || doseNouns.length > 0;
    for (const m of text.slice(sentence.s, sentence.e).matchAll(AMOUNT_RE)) {
      const s = sentence.s + (m.index ?? 0);
      if (m[1] !== undefined || doseContext || smallVolume(m[0])) {
        found.push({ s, e: s + m[0].length });
      }
    }
    found.push(...bareNumbers(sentence.tokens, [...sentence.usable, ...sentence.protocols]));
    return found;
  },
};

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

/**
 * A bare number that is a dose of a named substance: "anastrozole 0.5 twice a
 * week", "test e at 140 weekly", "0.5 of your arimidex", "half of your
 * anastrozole". Numbers followed by a lifestyle unit ("percent", "hours") are not.
 */
function bareNumbers(tokens: readonly Token[], mentions: readonly Mention[]): Span[] {
  const spans: Span[] = [];
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
      if (after === '' || AFTER_BARE_NUMBER.has(after) || isNumber(after))
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
