import type { GuardRule } from '../rule';
import { directive, findVerbs, Mention, physiologySubject, Sentence, VerbHit } from '../sentence';
import { Span, Token } from '../text';
import {
  CHANGE_ONLY_VERBS,
  DEMONSTRATIVE_FOLLOWERS,
  DEMONSTRATIVES,
  NOUN_DOSE,
  PRONOUN_IDIOMS,
  PRONOUNS,
} from '../words';
import { passiveParticiple } from './substance-action';

/**
 * dose-anaphora: a pronoun that stands for a dose or a drug named before it,
 * with an action on the pronoun: "Your dose is too high; reduce it", "That
 * injection is making you tired, so cut it in half", "The tablet is scored.
 * It should be halved."
 *
 * The pronoun (it, them, this, that, these, those) is the object of an
 * action or change verb ("stop it", "bring it down", "keep taking it") or the
 * subject of a passive ("it must be taken with food"). Its antecedent is the
 * nearest dose noun or substance before it in the same sentence, or else in
 * the sentence before (the guard passes that one only within a paragraph: a
 * line break starts afresh). An antecedent is a dose noun ("dose",
 * "injection", "the patch"), a substance named as a product or medication,
 * or a protocol name; physiology ("alcohol raises estradiol; ... reduce it")
 * and food are not. As in substance-action, a level verb on a hormone the
 * body makes, and any verb on a hormone that is the subject of physiology
 * ("melatonin rises in the evening; bright light pushes it later"), count
 * only when aimed at the reader. The match runs from the antecedent to the
 * pronoun, so it shows what the pronoun was read as.
 */
export const doseAnaphoraRule: GuardRule = {
  id: 'dose-anaphora',
  find(sentence: Sentence): Span[] {
    const { tokens } = sentence;
    const found: Span[] = [];
    const verbs = [...sentence.verbs, ...findVerbs(tokens, CHANGE_ONLY_VERBS)];
    for (const verb of verbs) {
      const pronoun = tokens[verb.last + 1];
      if (!pronoun || !isPronoun(tokens, verb.last + 1) || idiom(tokens, verb.last + 2)) continue;
      if (sentence.isExempt(sentence.tokenSpan(verb.first, verb.last))) continue;
      const antecedent = antecedentOf(sentence, verb.first);
      if (!antecedent || !aimedEnough(sentence, verb, antecedent)) continue;
      found.push({ s: antecedent.s, e: pronoun.e });
    }
    // "It must be taken with food", "They should be halved": a pronoun as the subject of a passive.
    for (let i = 0; i < tokens.length; i++) {
      const pronoun = tokens[i];
      if (!pronoun || !SUBJECT_PRONOUNS.has(pronoun.w)) continue;
      const passive = passiveParticiple(tokens, i);
      if (!passive) continue;
      const antecedent = antecedentOf(sentence, i);
      if (!antecedent) continue;
      const span = { s: antecedent.s, e: tokens[passive.participle]?.e ?? pronoun.e };
      if (!sentence.isExempt(sentence.tokenSpan(i, passive.participle))) found.push(span);
    }
    return found;
  },
};

const SUBJECT_PRONOUNS = new Set(['it', 'they', 'this', 'that', 'these', 'those']);

/** An object pronoun; "this", "that"... only when no noun follows ("bring this handout" is a determiner). */
function isPronoun(tokens: readonly Token[], i: number): boolean {
  const w = tokens[i]?.w ?? '';
  if (!PRONOUNS.has(w) || w === 'they') return false;
  if (!DEMONSTRATIVES.has(w)) return true;
  const next = tokens[i + 1]?.w;
  return next === undefined || !/^[a-z]/.test(next) || DEMONSTRATIVE_FOLLOWERS.has(next);
}

/** "Take it easy", "take it into account": an idiom right after the pronoun. */
function idiom(tokens: readonly Token[], from: number): boolean {
  return PRONOUN_IDIOMS.some((words) => words.every((word, k) => tokens[from + k]?.w === word));
}

interface Antecedent extends Span {
  /** A hormone the body makes, not named as the product: a level verb needs to be aimed at the reader. */
  readonly endogenous: boolean;
  /** The subject of physiology ("melatonin rises"): any verb needs to be aimed at the reader. */
  readonly physiologySubject: boolean;
}

/** The nearest dose noun or substance before token `before`, in this sentence or the one before. */
function antecedentOf(sentence: Sentence, before: number): Antecedent | undefined {
  return (
    nearest(sentence, before) ??
    (sentence.previous && nearest(sentence.previous, sentence.previous.tokens.length))
  );
}

function nearest(sentence: Sentence, before: number): Antecedent | undefined {
  const fromMention = (m: Mention): Antecedent => ({
    s: m.s,
    e: m.e,
    endogenous: m.kind === 'endogenous' && !m.product,
    physiologySubject: m.physiologySubjectOnly,
  });
  const candidates: (Antecedent & { at: number })[] = [];
  for (const m of sentence.mentions) {
    if (m.last >= before || sentence.isExempt(m)) continue;
    const usable = !m.physiology && !m.physiologyObject;
    if (usable || m.physiologySubjectOnly) candidates.push({ ...fromMention(m), at: m.last });
  }
  for (const i of sentence.doseNouns) {
    const token = sentence.tokens[i];
    if (!token || i >= before || !NOUN_DOSE.has(token.w)) continue;
    candidates.push({ s: token.s, e: token.e, endogenous: false, physiologySubject: false, at: i });
  }
  return candidates.sort((a, b) => b.at - a.at)[0];
}

/** The same test as substance-action: who the verb is aimed at, for an antecedent the body makes. */
function aimedEnough(sentence: Sentence, verb: VerbHit, antecedent: Antecedent): boolean {
  const { tokens } = sentence;
  if (antecedent.physiologySubject || (verb.level && antecedent.endogenous)) {
    return directive(tokens, verb.first);
  }
  return !physiologySubject(tokens, verb.first);
}
