import type { RuleId } from './guard/rule';
import { RULES } from './guard/rules';
import { analyseSentence, Sentence } from './guard/sentence';
import { normalise, Span, splitSentences } from './guard/text';

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
 * see why a sentence was refused and reword it. The word lists are data, in
 * src/content/lexicon/*.json (checked against lexicon.schema.ts when first
 * imported); each rule is one file in ./guard/rules, and the shared text
 * machinery is in ./guard (text.ts, words.ts, sentence.ts, disclaimers.ts).
 * The corpora in test/fixtures/dosing-guard show what must be caught and what
 * must pass.
 *
 * Text is checked sentence by sentence (split on . ! ? ; and line breaks, not
 * on the point of "2.5" or inside "I.U."), after normalising case, unicode
 * (µ → u, ½ → 1/2, every dash to "-") and removing invisible characters. One
 * rule also looks one sentence back (see dose-anaphora). The rules:
 *
 * 1. amount: a number with a dose unit. mg, mcg, µg, ng, IU and cc always (lab
 *    values in those units are refused too); ml, units and grams only when the
 *    sentence names a substance, a dose or a protocol (ml under 5 always); a
 *    bare number right after a substance ("anastrozole 0.5 twice a week").
 * 2. substance-action: a substance governed by an action verb (start, stop,
 *    take, skip, switch, lower...), i.e. the verb comes first with only words
 *    like "your weekly" between, or a phrasal level verb around it ("bring
 *    your testosterone down"); a passive ("DHEA should be taken", and with
 *    an obligation also a level verb on a hormone: "your estradiol needs to be
 *    reduced"); the product as the subject of a direction ("Ozempic goes up
 *    to 0.5"); an instruction to start, stop or switch a protocol ("Come off
 *    TRT", "Hop off TRT for a month"; not "men starting TRT", "after stopping
 *    TRT", "when you come off TRT").
 * 3. substance-schedule: a frequency or timing attached to a substance (close,
 *    at most one unrelated word between, and not across the comma after an
 *    opening "On testosterone therapy, ..."); a protocol with its schedule
 *    straight after it ("TRT twice weekly", "your TRT is twice a week").
 * 4. substance-count: a count of a dosage form ("two capsules") in a sentence
 *    naming a substance.
 * 5. dose-change: a dose, injection, shot, tablet... named without the
 *    substance, with an action on it, a schedule or a number; and prescription
 *    shorthand (EOD, E3.5D, q.d.) anywhere.
 * 6. dose-anaphora: a pronoun (it, them, this, that...) standing for a dose or
 *    drug named before it, as the object of an action or change verb or the
 *    subject of a passive: "Your dose is too high; reduce it", "That injection
 *    is making you tired, so cut it in half", "The tablet is scored. It should
 *    be halved." The antecedent is the nearest dose noun, product or protocol
 *    before the pronoun in the same sentence, else in the sentence before it,
 *    but only within a paragraph: the guard passes each sentence the one
 *    before it unless a line break (a heading, a list item) lies between.
 *    Physiology is not an antecedent ("alcohol raises estradiol; if you drink
 *    most days, try to reduce it"), and the physiology exceptions below apply
 *    to the verb as they do in substance-action. The match runs from the
 *    antecedent to the pronoun, so it shows what the pronoun was read as.
 * 7. dose-number: a bare number (nothing but a schedule, a preposition or the
 *    end after it) set by a dose or level verb ("Pin 0.3", "Go up to 150",
 *    "Stay at 100 for now", "Bring it down to 100", "Cruise at 125"), by the
 *    patient or the plan ("You're on 150 a week", "Your protocol is 100 every
 *    Monday"), or by an injection device ("Dial 0.2 on the pen", "Draw to the
 *    40 line"). A number with a noun after it ("3 sessions a week", "18 °C",
 *    "11 pm") is a lifestyle amount; write the unit and it passes.
 * 8. dose-time: a possessive time before a dose noun or a drug: "this week's
 *    injection", "tonight's dose", "Monday's shot", "skip tonight's melatonin".
 * 9. dose-idiom: regimen slang ("blast and cruise", "run a 12-week cycle");
 *    "cold turkey" in a sentence naming a drug, dose or protocol ("quit
 *    smoking cold turkey" passes); an objectless "taper off", "wean off",
 *    "titrate up" as an instruction ("Taper off over four weeks").
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
  readonly rule: RuleId;
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

interface RawFinding extends Span {
  readonly rule: RuleId;
}

/** Every finding in `text`, in order of position. An empty list means the text passed. */
export function findDosingAdvice(text: string): DosingFinding[] {
  // Fail closed on a caller that passes something else (untyped JSON, a missing field).
  if (typeof text !== 'string') throw new TypeError('findDosingAdvice expects a string');
  const norm = normalise(text);
  const findings: DosingFinding[] = [];
  const seen = new Set<string>();
  let previous: Sentence | undefined;
  for (const span of splitSentences(norm.lower)) {
    // A pronoun may stand for a dose named in the sentence before, within the
    // same paragraph: a line break (a heading, a list item) starts afresh.
    const sameParagraph = previous && !norm.lower.slice(previous.e, span.s).includes('\n');
    const sentence = analyseSentence(norm, span, sameParagraph ? previous : undefined);
    previous = sentence;
    const raws: RawFinding[] = RULES.flatMap((rule) =>
      rule.find(sentence).map((found) => ({ rule: rule.id, s: found.s, e: found.e })),
    );
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
