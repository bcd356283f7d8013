import { LEXICON } from '../../content/lexicon';
import type { Mention } from './sentence';
import { alternation, overlaps, Span, spansOf, termSource } from './text';
import { COUNT_RE } from './words';

const CLINICIAN = alternation(LEXICON.disclaimers.clinicianWords.map(termSource));
const DISCLAIMER_META = alternation(LEXICON.disclaimers.disclaimerWords.map(termSource));
const NEGATION = "(?:not|no|never|nothing|cannot|can't|won't|doesn't|don't|isn't|aren't)";
/**
 * A bounded gap inside a disclaimer (within its clause). Bounded so that a long
 * run-on text cannot make the matching slow; a longer "disclaimer" is simply
 * not exempt, which fails closed.
 */
const GAP = '[^:]{0,100}?';

/**
 * Disclaimers: sentences that only say the product gives no dosing advice, or
 * that a change to any medication is the clinician's. They name dosing words
 * ("change", "dose", "medication") without instructing a change, so the
 * action and dose-change rules do not fire on the verbs inside them. Amounts,
 * schedules and counts still do, and a disclaimer that names a product
 * ("do not stop anastrozole without your clinician") is not exempt: see
 * `exemptRanges`.
 */
const DISCLAIMERS: readonly RegExp[] = [
  // "This handout gives no dosing advice.", "It never gives dosing advice."
  new RegExp(
    `^(?:(?:this|the|our|these|that) [a-z ]{0,30}?|it |we |nothing (?:here|in this [a-z]+) )${GAP}\\b${NEGATION}\\b${GAP}\\b(?:${DISCLAIMER_META})\\b[^:]*`,
    'g',
  ),
  // "Do not change your dose without talking to your clinician."
  new RegExp(
    `\\b(?:do not|don't|dont|never|please do not|please don't|avoid)\\b${GAP}\\bwithout\\b${GAP}\\b(?:${CLINICIAN})s?\\b`,
    'g',
  ),
  // "Talk to your clinician before changing any medication."
  new RegExp(
    `\\b(?:talk|speak|check|consult|ask)\\b${GAP}\\b(?:${CLINICIAN})s?\\b (?:first )?before\\b[^:]*`,
    'g',
  ),
  // "Before you change any medication, talk to your clinician."
  new RegExp(
    `\\bbefore\\b${GAP}, (?:please )?(?:talk|speak|check|consult|ask)\\b${GAP}\\b(?:${CLINICIAN})s?\\b`,
    'g',
  ),
  // "Changes to your dose are your clinician's decision."
  new RegExp(
    `^[^:]{0,160}?\\b(?:${CLINICIAN})s?(?:'s)? (?:alone |only )?(?:decides?|decision|decisions|call|job|role|responsibility)\\b[^:]*`,
    'g',
  ),
  // "Take your medication exactly as prescribed."
  new RegExp(
    `^[^:]{0,160}?\\b(?:as (?:prescribed|directed)|as your (?:${CLINICIAN}) (?:prescribed|directed|advised))\\b[^:]*`,
    'g',
  ),
];

/**
 * The disclaimer clauses of a sentence: verbs inside them are not actions.
 * A disclaimer may name dosing generically, never a named product or a count.
 */
export function exemptRanges(text: string, sentence: Span, mentions: readonly Mention[]): Span[] {
  const ranges: Span[] = [];
  for (const re of DISCLAIMERS) {
    for (const range of spansOf(re, text, sentence)) {
      const named = mentions.some((m) => overlaps(m, range) && !m.generic && !m.physiology);
      const counted =
        spansOf(COUNT_RE, text, range).length > 0 || /\d/.test(text.slice(range.s, range.e));
      if (!named && !counted) ranges.push(range);
    }
  }
  return ranges;
}
