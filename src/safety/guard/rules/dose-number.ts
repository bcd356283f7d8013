import type { GuardRule } from '../rule';
import { findVerbs, Sentence, VerbHit } from '../sentence';
import { cover, isNumber, Span, spansOf, Token } from '../text';
import {
  AFTER_FRAME_NUMBER,
  COPULA,
  DEVICE_MARKINGS,
  DEVICE_RE,
  DEVICE_VERBS,
  FRAME_LINKS,
  FRAME_VERBS,
  PLAN_NOUNS,
} from '../words';

/**
 * dose-number: a bare number (no unit after it) that can only be a dose
 * because of what sets it:
 *
 * - a dose verb or level verb, with only words like "up to", "it down to",
 *   "at", "by" between: "Pin 0.3", "Go up to 150 next week", "Stay at 100
 *   for now", "Bring it down to 100", "Taper down by 25 each week", "Cruise
 *   at 125";
 * - the patient or the plan as the subject: "You're on 150 a week", "Your
 *   protocol has you on 200 every ten days", "Your protocol is 100 every
 *   Monday";
 * - an injection device: "Dial 0.2 on the pen", "Use 20 on the syringe",
 *   "Draw to the 40 line".
 *
 * Bare means the number ends the sentence or is followed by a schedule or a
 * preposition ("for now", "a week", "on Mondays"); a number with a noun after
 * it ("3 sessions", "18 °C", "11 pm", "150 minutes") is a lifestyle amount
 * and never counts here.
 */
export const doseNumberRule: GuardRule = {
  id: 'dose-number',
  find(sentence: Sentence): Span[] {
    const { tokens } = sentence;
    const found: Span[] = [];
    const verbs = findVerbs(tokens, FRAME_VERBS);
    const device = spansOf(DEVICE_RE, sentence.text, sentence).length > 0;
    const deviceVerbs = findVerbs(tokens, DEVICE_VERBS);
    for (let i = 0; i < tokens.length; i++) {
      const number = tokens[i];
      if (!number || !isNumber(number.w)) continue;
      const next = tokens[i + 1]?.w;
      const bare = next === undefined || !/^[a-z]/.test(next) || AFTER_FRAME_NUMBER.has(next);
      // "the 40 line", "the 20 tick": a graduation on the syringe.
      const marking = next !== undefined && DEVICE_MARKINGS.has(next);
      const end = marking ? (tokens[i + 1] ?? number) : number;
      if (!bare && !marking) continue;
      const start = frameStart(tokens, i, verbs, marking ? deviceVerbs : undefined);
      if (device || start !== undefined) found.push(cover(tokens[start ?? i] ?? number, end));
    }
    return found;
  },
};

/**
 * Where the frame that makes the number at `i` a dose starts, or undefined:
 * walks back over links ("up to", "it down to", "at") to a dose verb, a
 * person ("you're on"), or a plan noun with its copula ("your protocol is").
 * For a graduation ("to the 40 line") it walks over "the" to a device verb.
 */
function frameStart(
  tokens: readonly Token[],
  i: number,
  verbs: readonly VerbHit[],
  deviceVerbs: readonly VerbHit[] | undefined,
): number | undefined {
  let j = i - 1;
  let links = 0;
  let onOrAt = false;
  if (deviceVerbs) {
    if (tokens[j]?.w === 'the') j--;
    while (j >= 0 && links < 2 && FRAME_LINKS.has(tokens[j]?.w ?? '')) {
      j--;
      links++;
    }
    return deviceVerbs.find((v) => v.last === j)?.first;
  }
  let start: number | undefined;
  for (;;) {
    // A verb may end on a link word ("stay on 0.5"), and a link may itself be
    // a verb ("go up to 150"): the frame starts at the earliest verb.
    const verb = verbs.find((v) => v.last === j);
    if (verb) start = verb.first;
    const link = tokens[j]?.w ?? '';
    if (j < 0 || links >= 4 || !FRAME_LINKS.has(link)) break;
    if (link === 'on' || link === 'at') onOrAt = true;
    j = Math.min(j, start ?? j) - 1;
    links++;
  }
  if (start !== undefined) return start;
  const w = tokens[j]?.w ?? '';
  // "You're on 150 a week", "you are on 120", "has you at 140", "you're currently at 100".
  if (onOrAt && PATIENT.has(w)) return j;
  if (onOrAt && ['are', 'were'].includes(w) && PATIENT.has(tokens[j - 1]?.w ?? '')) return j - 1;
  // "Your protocol is 100 every Monday", "the plan is 80 every five days".
  if (links === 0 && (COPULA.has(w) || w === 'stays')) {
    for (let k = j - 1; k >= Math.max(0, j - 3); k--) {
      if (PLAN_NOUNS.has(tokens[k]?.w ?? '')) return k;
    }
  }
  return undefined;
}

/** The patient as the subject or object of the plan: "you're on", "has you at". */
const PATIENT = new Set(['you', "you're", 'we', "we're"]);
