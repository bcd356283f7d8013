import type { GuardRule } from '../rule';
import { actsOnDose, findVerbs, Sentence } from '../sentence';
import { cover, isNumber, Span, spansOf } from '../text';
import {
  BEFORE_BARE_NUMBER,
  CHANGE_ONLY_VERBS,
  DOSE_TO_VERB,
  SHORTHAND_RE,
  UP_DOWN,
} from '../words';

/**
 * dose-change: a dose, injection, shot, tablet... named without the
 * substance, with an action on it, a schedule in the sentence or a number
 * or direction after it; and prescription shorthand (EOD, E3.5D, q.d.)
 * anywhere.
 */
export const doseChangeRule: GuardRule = {
  id: 'dose-change',
  find(sentence: Sentence): Span[] {
    const { tokens, schedules } = sentence;
    const found: Span[] = [];
    const changeVerbs = [...sentence.verbs, ...findVerbs(tokens, CHANGE_ONLY_VERBS)];
    for (const i of sentence.doseNouns) {
      const noun = tokens[i];
      if (!noun) continue;
      const verb = changeVerbs.find(
        (v) =>
          (v.first > i || v.last < i) &&
          actsOnDose(tokens, v, i, sentence.mentions) &&
          !sentence.isExempt(sentence.tokenSpan(v.first, v.last)),
      );
      // "your dose stays at 100", "your dose goes down": a number or a direction after it.
      let n = i + 1;
      while (n <= i + 3 && BEFORE_BARE_NUMBER.has(tokens[n]?.w ?? '')) n++;
      let d = i + 1;
      while (d <= i + 3 && DOSE_TO_VERB.has(tokens[d]?.w ?? '')) d++;
      const after = isNumber(tokens[n]?.w ?? '')
        ? tokens[n]
        : d > i + 1 && UP_DOWN.has(tokens[d]?.w ?? '')
          ? tokens[d]
          : undefined;
      const trigger =
        (verb && sentence.tokenSpan(verb.first, verb.last)) ??
        schedules.find((span) => !sentence.isExempt(span)) ??
        after;
      if (trigger) found.push(cover(noun, trigger));
    }
    // Prescription shorthand (EOD, E3.5D, q.d.) schedules a dose on its own.
    found.push(...spansOf(SHORTHAND_RE, sentence.text, sentence));
    return found;
  },
};
