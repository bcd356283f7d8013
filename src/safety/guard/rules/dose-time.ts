import type { GuardRule } from '../rule';
import type { Sentence } from '../sentence';
import { cover, overlaps, Span } from '../text';
import { DOSE_NOUN, POSSESSIVE_TIMES, WEAK_DOSE_NOUN } from '../words';

/**
 * dose-time: a possessive time before a dose noun or a drug, which times
 * that dose: "this week's injection", "tonight's dose", "Monday's shot",
 * "tomorrow's pin", "skip tonight's melatonin". Up to two words may stand
 * between ("this week's second injection"). Physiology ("the night's growth
 * hormone pulse") and figurative doses are not doses.
 */
export const doseTimeRule: GuardRule = {
  id: 'dose-time',
  find(sentence: Sentence): Span[] {
    const { tokens } = sentence;
    const found: Span[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const time = tokens[i];
      if (!time || !POSSESSIVE_TIMES.has(time.w)) continue;
      const start = ['this', 'last', 'next', 'every'].includes(tokens[i - 1]?.w ?? '')
        ? (tokens[i - 1] ?? time)
        : time;
      for (let j = i + 1; j <= i + 3 && j < tokens.length; j++) {
        const token = tokens[j];
        if (!token) break;
        const mention = sentence.usable.find((m) => m.first === j);
        const dose = DOSE_NOUN.has(token.w) || WEAK_DOSE_NOUN.has(token.w);
        if (mention || dose) {
          const span = cover(start, mention ?? token);
          if (!sentence.figurative.some((f) => overlaps(f, span))) found.push(span);
          break;
        }
        if (!BETWEEN.has(token.w)) break;
      }
    }
    return found;
  },
};

/** Words between the possessive and the dose: "tonight's usual dose", "this week's second shot". */
const BETWEEN = new Set([
  'first',
  'second',
  'third',
  'last',
  'next',
  'missed',
  'usual',
  'weekly',
  'daily',
  'nightly',
  'morning',
  'evening',
  'bedtime',
  'extra',
  'planned',
  'scheduled',
  'regular',
  'full',
  'half',
]);
