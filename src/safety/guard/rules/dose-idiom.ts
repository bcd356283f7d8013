import type { GuardRule } from '../rule';
import { findVerbs, instruction, Sentence } from '../sentence';
import { cover, isNumber, Span, spansOf } from '../text';
import { INTRANSITIVE_DOSE_VERBS, REGIMEN_IDIOM_RE, WITH_SUBSTANCE_IDIOM_RE } from '../words';

/**
 * dose-idiom: regimen slang that is dosing on its own ("blast and cruise",
 * "run a 12-week cycle", "cruise at 125"); an idiom that is a dosing
 * instruction when the sentence names a drug, a dose or a protocol ("go cold
 * turkey on the Clomid", "stop TRT cold turkey"; "quit smoking cold turkey"
 * is lifestyle); and a drug-only verb with no object as an instruction
 * ("Taper off over four weeks", "Titrate up slowly"; "taper off your
 * training" has an object and is not).
 */
export const doseIdiomRule: GuardRule = {
  id: 'dose-idiom',
  find(sentence: Sentence): Span[] {
    const { text, tokens } = sentence;
    const found: Span[] = spansOf(REGIMEN_IDIOM_RE, text, sentence);
    const named = [...sentence.usable, ...sentence.protocols];
    const doses = sentence.doseNouns.flatMap((i) => tokens[i] ?? []);
    for (const idiom of spansOf(WITH_SUBSTANCE_IDIOM_RE, text, sentence)) {
      // The match runs from the idiom to the nearest drug or dose it is about.
      const near = [...named, ...doses].sort((a, b) => distance(a, idiom) - distance(b, idiom))[0];
      if (near) found.push(cover(near, idiom));
    }
    for (const verb of findVerbs(tokens, INTRANSITIVE_DOSE_VERBS)) {
      const next = tokens[verb.last + 1]?.w;
      const noObject =
        next === undefined || !/^[a-z]/.test(next) || isNumber(next) || AFTER.has(next);
      if (noObject && instruction(tokens, verb.first)) {
        found.push(sentence.tokenSpan(verb.first, verb.last));
      }
    }
    return found;
  },
};

const distance = (a: Span, b: Span): number => (a.e <= b.s ? b.s - a.e : a.s - b.e);

/** Words after "taper off" that show it has no object: "taper off over four weeks". */
const AFTER = new Set([
  'over',
  'by',
  'from',
  'to',
  'for',
  'until',
  'slowly',
  'gradually',
  'across',
  'within',
  'in',
  'on',
  'after',
  'before',
  'then',
  'and',
  'each',
  'every',
  'again',
  'completely',
  'carefully',
]);
