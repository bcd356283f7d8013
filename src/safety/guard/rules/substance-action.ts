import type { GuardRule } from '../rule';
import {
  directive,
  findVerbs,
  governed,
  instruction,
  lifestyleMeans,
  Mention,
  physiologySubject,
  Sentence,
  VerbHit,
} from '../sentence';
import { cover, inflections, Span, Token, wordSet } from '../text';
import {
  ADVERBS,
  COPULA,
  DOSE_TO_VERB,
  MODALS,
  OBLIGATIONS,
  PARTICIPLES,
  PERSONS,
  PRODUCT,
  PROTOCOL_VERB_BASES,
  PROTOCOL_VERBS,
  SEPARABLE_LEVEL_VERBS,
  UP_DOWN,
} from '../words';

/**
 * substance-action: a substance governed by an action verb (start, stop,
 * take, skip, switch, lower...), i.e. the verb comes first with only words
 * like "your weekly" between, or a phrasal level verb around it ("bring your
 * testosterone down"); a passive ("DHEA should be taken", "your estradiol
 * needs to be reduced"); the product as the subject of a direction ("Ozempic
 * goes up to 0.5"); or an instruction to start, stop or switch a protocol
 * ("Come off TRT for a month").
 */
export const substanceActionRule: GuardRule = {
  id: 'substance-action',
  find(sentence: Sentence): Span[] {
    const { tokens, mentions, verbs } = sentence;
    const found: Span[] = [];
    const acts = (verb: VerbHit, mention: Mention): boolean => {
      if (mention.kind === 'amount-context') return false;
      if (mention.physiology && !mention.physiologySubjectOnly) return false;
      if (sentence.isExempt(sentence.tokenSpan(verb.first, verb.last))) return false;
      if (verb.level) {
        // "lower/raise/boost": physiology says these all the time about the body's
        // own hormones ("short sleep lowers testosterone"). Endogenous names count
        // only when the product is meant, or the verb is aimed at the reader
        // without a lifestyle means ("raise testosterone naturally").
        const aimed = directive(tokens, verb.first) && !lifestyleMeans(tokens, mention, mentions);
        return mention.kind !== 'endogenous' || mention.product || aimed;
      }
      return !physiologySubject(tokens, verb.first) && !conditionOfUse(tokens, verb);
    };
    for (const verb of verbs) {
      const mention = governed(tokens, verb, mentions);
      if (mention && acts(verb, mention)) {
        found.push(cover(sentence.tokenSpan(verb.first, verb.last), mention));
      }
    }
    // "Bring your testosterone down": a level verb whose particle follows the substance.
    for (const { head, particle } of SEPARABLE_LEVEL_VERBS) {
      for (const verb of findVerbs(tokens, [head])) {
        const mention = governed(tokens, verb, mentions);
        if (!mention) continue;
        let j = mention.last + 1;
        while (PRODUCT.has(tokens[j]?.w ?? '')) j++;
        if (tokens[j]?.w === particle && acts(verb, mention)) {
          found.push(sentence.tokenSpan(verb.first, j));
        }
      }
    }
    // Passive: "testosterone is injected weekly", "DHEA should be taken in the morning".
    for (const mention of mentions) {
      if (mention.kind === 'amount-context') continue;
      if (mention.physiology && !mention.physiologySubjectOnly) continue;
      const passive = passiveParticiple(tokens, mention.last);
      const level = passive && PARTICIPLES.get(tokens[passive.participle]?.w ?? '');
      if (!passive || level === undefined) continue;
      // A level verb on a hormone the body makes is physiology ("testosterone is
      // lowered by poor sleep") unless obliged: "your estradiol needs to be reduced".
      if (level && mention.kind === 'endogenous' && !mention.product) {
        if (!passive.obliged || lifestyleMeans(tokens, mention, mentions)) continue;
      }
      const span = sentence.tokenSpan(mention.first, passive.participle);
      if (!sentence.isExempt(span)) found.push(span);
    }
    // "Ozempic goes up to 0.5", "your testosterone dose went down": the product as subject.
    for (const mention of mentions) {
      if (mention.kind === 'amount-context' || mention.physiology) continue;
      if (mention.kind === 'endogenous' && !mention.product) continue;
      let j = mention.last + 1;
      while (PRODUCT.has(tokens[j]?.w ?? '') || DOSE_TO_VERB.has(tokens[j]?.w ?? '')) j++;
      if (j > mention.last + 1 && UP_DOWN.has(tokens[j]?.w ?? '')) {
        found.push(sentence.tokenSpan(mention.first, j));
      }
    }
    // "Come off TRT for a month", "Stop TRT": an instruction on a protocol name.
    for (const verb of findVerbs(tokens, PROTOCOL_VERBS)) {
      const mention = governed(tokens, verb, sentence.protocols);
      if (!mention || !PROTOCOL_VERB_BASES.has(tokens[verb.first]?.w ?? '')) continue;
      const verbSpan = sentence.tokenSpan(verb.first, verb.last);
      if (sentence.isExempt(verbSpan) || !instruction(tokens, verb.first)) continue;
      found.push(cover(verbSpan, mention));
    }
    return found;
  },
};

/**
 * The participle of a passive after a substance or pronoun, and whether an
 * obligation comes before it: "testosterone (dose) is (usually) injected",
 * "your HCG has to be cut back", "it must be taken with food".
 */
export function passiveParticiple(
  tokens: readonly Token[],
  last: number,
): { participle: number; obliged: boolean } | undefined {
  let j = last + 1;
  let obliged = false;
  while (
    PRODUCT.has(tokens[j]?.w ?? '') ||
    MODALS.has(tokens[j]?.w ?? '') ||
    OBLIGATIONS.has(tokens[j]?.w ?? '')
  ) {
    if (OBLIGATIONS.has(tokens[j]?.w ?? '')) obliged = true;
    j++;
  }
  if (!COPULA.has(tokens[j]?.w ?? '')) return undefined;
  j++;
  while (COPULA.has(tokens[j]?.w ?? '') || ADVERBS.has(tokens[j]?.w ?? '')) j++;
  return PARTICIPLES.has(tokens[j]?.w ?? '') ? { participle: j, obliged } : undefined;
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
