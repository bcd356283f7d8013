import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/project-root';
import { assertNoDosingAdvice, DosingAdviceError, findDosingAdvice } from './dosing-guard';
import { RULE_IDS } from './guard/rule';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'dosing-guard');

/** One sentence per line; `#` comments and blank lines are skipped. */
function corpus(file: string): string[] {
  return readFileSync(join(FIXTURES, file), 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const DOSING = corpus('dosing.txt');
const LIFESTYLE = corpus('lifestyle.txt');

const describeFindings = (text: string): string =>
  findDosingAdvice(text)
    .map((finding) => `${finding.rule}: "${finding.match}"`)
    .join('; ');

describe('the corpora', () => {
  it('are large enough to mean something, with no line repeated', () => {
    expect(DOSING.length).toBeGreaterThanOrEqual(511);
    expect(LIFESTYLE.length).toBeGreaterThanOrEqual(532);
    expect(new Set(DOSING).size).toBe(DOSING.length);
    expect(new Set(LIFESTYLE).size).toBe(LIFESTYLE.length);
  });

  it('catches every dosing phrasing', () => {
    // Listing the misses (not failing on the first) shows the whole gap at once.
    const missed = DOSING.filter((line) => findDosingAdvice(line).length === 0);
    expect(missed).toEqual([]);
  });

  it('passes every lifestyle and clinical-education sentence', () => {
    const flagged = LIFESTYLE.filter((line) => findDosingAdvice(line).length > 0).map(
      (line) => `${line} => ${describeFindings(line)}`,
    );
    expect(flagged).toEqual([]);
  });

  it('has every rule catch at least one dosing line, and quotes each match from the text', () => {
    const rules = new Set<string>();
    for (const line of [...DOSING, ...LIFESTYLE]) {
      for (const finding of findDosingAdvice(line)) {
        rules.add(finding.rule);
        expect(line.slice(finding.index, finding.index + finding.match.length)).toBe(finding.match);
      }
    }
    expect([...rules].sort()).toEqual([...RULE_IDS].sort());
  });

  it('still catches a dosing line inside a lifestyle paragraph', () => {
    // Sentences are checked one by one, so clean neighbours do not hide a dose.
    const paragraph = `${LIFESTYLE.slice(0, 5).join(' ')} Take 0.5 mg of anastrozole. ${LIFESTYLE.slice(5, 10).join(' ')}`;
    expect(findDosingAdvice(paragraph).map((finding) => finding.match)).toContain('0.5 mg');
  });
});

describe('findDosingAdvice', () => {
  it('reports the rule, the exact original text and its index', () => {
    const text = 'Sleep well. Take 200 MG weekly.';
    const [finding] = findDosingAdvice(text);
    expect(finding).toEqual({ rule: 'amount', match: '200 MG', index: text.indexOf('200 MG') });
  });

  it.each([
    ['a decimal point', 'Use 0.5 ml of hCG.', '0.5 ml'],
    ['a decimal point in shorthand', 'Inject E3.5D.', 'E3.5D'],
    ['the dots of I.U.', 'hCG 250 I.U. twice weekly.', 'hCG 250 I.U. twice weekly'],
    ['a comma decimal', 'Tirzepatide 2,5 mg.', '2,5 mg'],
  ])('does not split a sentence at %s', (_name, text, match) => {
    expect(findDosingAdvice(text).map((finding) => finding.match)).toContain(match);
  });

  it('keeps ml with its substance across a decimal point, and lets water in ml pass', () => {
    expect(findDosingAdvice('Draw 12.5 ml of testosterone.')).toContainEqual(
      expect.objectContaining({ rule: 'amount', match: '12.5 ml' }),
    );
    expect(findDosingAdvice('Drink 250 ml of water before the walk.')).toEqual([]);
  });

  it.each([
    ['µ (micro sign)', 'Take 500 \u00b5g.', '500 \u00b5g'],
    ['μ (Greek mu)', 'Take 500 \u03bcg.', '500 \u03bcg'],
    ['ug', 'Take 500 ug.', '500 ug'],
    ['I.U.', 'Take 1000 I.U.', '1000 I.U.'],
    ['IU without a space', 'Take 1000IU.', '1000IU'],
    ['a unicode fraction', 'Take \u00bd mg.', '\u00bd mg'],
    ['an en dash range', 'Take 100\u2013200 mg.', '100\u2013200 mg'],
  ])('reads %s as a dose unit', (_name, text, match) => {
    expect(findDosingAdvice(text)).toContainEqual(
      expect.objectContaining({ rule: 'amount', match }),
    );
  });

  it('is not fooled by invisible characters inside a unit', () => {
    expect(findDosingAdvice('Take 200 m\u200bg weekly.')).toHaveLength(1);
  });

  it.each([
    'This handout contains no dosing advice.',
    'This questionnaire does not give medical or dosing advice.',
    'Do not change your dose without talking to your clinician.',
    'Do not stop any medication without talking to your clinician first.',
    'Talk to your clinician before changing any medication.',
    'Dosing decisions stay with your clinician.',
  ])('lets a disclaimer pass: %s', (text) => {
    expect(findDosingAdvice(text)).toEqual([]);
  });

  it.each([
    // A disclaimer may name dosing generically; one that names a product is not exempt.
    'Do not stop anastrozole without talking to your clinician.',
    // Amounts are never exempt.
    'Do not take more than 10 mg without talking to your clinician.',
    // The exemption covers the disclaimer clause only.
    'Skip a dose, but do not change anything else without your clinician.',
    // A disclaimer with a count is not a disclaimer.
    'Take 2 tablets as prescribed.',
  ])('does not let a disclaimer hide dosing: %s', (text) => {
    expect(findDosingAdvice(text)).not.toEqual([]);
  });

  it.each([
    ['Short sleep lowers morning testosterone.', []],
    ['Alcohol can lower testosterone.', []],
    ['Lower your testosterone.', ['substance-action']],
    ['Lower your anastrozole.', ['substance-action']],
    ['Sleep more to raise testosterone.', []],
    ['Try to raise your estradiol.', ['substance-action']],
    ['Raise testosterone naturally with sleep and lifting.', []],
    ['Lower your estradiol with anastrozole.', ['substance-action']],
  ])('tells physiology from an action on a medication: %s', (text, rules) => {
    expect(findDosingAdvice(text).map((finding) => finding.rule)).toEqual(rules);
  });

  it('reads DIM only in capitals (lower case is the lighting advice)', () => {
    expect(findDosingAdvice('Dim the lights before bed.')).toEqual([]);
    expect(findDosingAdvice('DIM before bed.')).not.toEqual([]);
  });

  it('returns nothing for empty text', () => {
    expect(findDosingAdvice('')).toEqual([]);
    expect(findDosingAdvice('  \n ')).toEqual([]);
  });
});

describe('assertNoDosingAdvice', () => {
  it('passes silently on clean text', () => {
    expect(() => assertNoDosingAdvice(LIFESTYLE.slice(0, 20), 'handout footer')).not.toThrow();
    expect(() => assertNoDosingAdvice([], 'empty')).not.toThrow();
  });

  it('throws an error naming where and the matched text', () => {
    const texts = ['Keep the bedroom cool.', 'Take melatonin 3 mg before bed.'];
    let error: unknown;
    try {
      assertNoDosingAdvice(texts, 'sleep.evening-routine');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DosingAdviceError);
    const dosingError = error as DosingAdviceError;
    expect(dosingError.where).toBe('sleep.evening-routine');
    expect(dosingError.message).toContain('sleep.evening-routine');
    expect(dosingError.message).toContain('"3 mg"');
    expect(dosingError.findings.map((finding) => finding.match)).toContain('3 mg');
  });
});

/** The rules each finding in `text` names, in order. */
const rulesOf = (text: string): string[] => findDosingAdvice(text).map((finding) => finding.rule);
/** The matches of one rule in `text`. */
const matchesOf = (text: string, rule: string): string[] =>
  findDosingAdvice(text)
    .filter((finding) => finding.rule === rule)
    .map((finding) => finding.match);

describe('dose-anaphora: a pronoun standing for a dose or drug', () => {
  it.each([
    ['Your dose is too high; reduce it.', 'dose is too high; reduce it'],
    [
      'That injection is making you tired, so cut it in half.',
      'injection is making you tired, so cut it',
    ],
    [
      'Your anastrozole is making your joints ache, so stop it.',
      'anastrozole is making your joints ache, so stop it',
    ],
    ['The tablet is scored. It should be halved.', 'tablet is scored. It should be halved'],
    ['Your estradiol dose is fine; keep taking it daily.', 'dose is fine; keep taking it'],
    ['Your TRT is working; do not stop it.', 'TRT is working; do not stop it'],
  ])('catches %s', (text, match) => {
    expect(matchesOf(text, 'dose-anaphora')).toEqual([match]);
  });

  it.each([
    // Physiology is not an antecedent, and a verb aimed at nobody does not act on a hormone.
    'Alcohol raises estradiol; if you drink most days, try to reduce it.',
    'Heavy drinking lowers testosterone, so cut it back to 2 drinks a day or fewer.',
    'Melatonin rises in the evening; bright light pushes it later.',
    // No dose or drug before the pronoun.
    'Caffeine after noon keeps you up, so move it to the morning.',
    'Your step count is low, so raise it by 1,000 steps a week.',
    // Idioms and determiners.
    'Take it easy on rest days.',
    'Bring this handout to your next appointment.',
  ])('lets pass %s', (text) => {
    expect(findDosingAdvice(text)).toEqual([]);
  });

  it('looks back one sentence, but not across a line break', () => {
    expect(
      rulesOf('Your dose is set by your clinician. If you drink most days, reduce it.'),
    ).toEqual(['dose-anaphora']);
    expect(
      findDosingAdvice('Your dose is set by your clinician.\nIf you drink most days, reduce it.'),
    ).toEqual([]);
    expect(findDosingAdvice('Your dose is fine. Sleep well. Reduce it.')).toEqual([]);
  });
});

describe('dose-number: a bare number set by a dose verb, the plan or a device', () => {
  it.each([
    ['Pin 0.3.', 'Pin 0.3'],
    ['Go up to 150 next week.', 'Go up to 150'],
    ['Stay at 100 until the next blood test.', 'Stay at 100'],
    ['Bring it down to 100 next week.', 'Bring it down to 100'],
    ["You're on 150 a week.", "You're on 150"],
    ['Your protocol is 100 every Monday.', 'protocol is 100'],
    ['Dial 0.2 on the pen.', 'Dial 0.2'],
    ['Draw to the 40 line.', 'Draw to the 40 line'],
    ['Use 20 on the syringe.', 'Use 20'],
  ])('catches %s', (text, match) => {
    expect(matchesOf(text, 'dose-number')).toEqual([match]);
  });

  it.each([
    'Go up to 3 sessions a week once 2 feel easy.',
    'Drop to 2 sessions a week in a heavy work week.',
    'Your bedtime drifts at weekends; bring it back to 11 pm.',
    'Go to bed at 10 on weeknights.',
    'Use a pen and paper for 10 minutes before bed.',
    'Aim for 150 minutes a week of moderate activity, or 75 minutes of vigorous activity.',
  ])('lets pass %s', (text) => {
    expect(findDosingAdvice(text)).toEqual([]);
  });
});

describe('dose-time: a possessive time before a dose or drug', () => {
  it.each([
    ["Skip this week's injection.", "this week's injection"],
    ["Take tonight's dose early.", "tonight's dose"],
    ["Tomorrow's pin goes in the other glute.", "Tomorrow's pin"],
    ["Skip tonight's melatonin.", "tonight's melatonin"],
  ])('catches %s', (text, match) => {
    expect(matchesOf(text, 'dose-time')).toEqual([match]);
  });

  it.each([
    "Write tomorrow's to-do list before bed to park your worries.",
    "A late, heavy meal blunts the night's growth hormone pulse.",
    "Tomorrow's workout can be a walk.",
  ])('lets pass %s', (text) => {
    expect(findDosingAdvice(text)).toEqual([]);
  });
});

describe('dose-idiom: regimen slang and drug-only idioms', () => {
  it.each([
    ['Blast and cruise instead of one steady dose.', 'Blast and cruise'],
    ['Run a 12-week cycle, then take 4 weeks off.', 'Run a 12-week cycle'],
    ['Go cold turkey on the Clomid.', 'cold turkey on the Clomid'],
    ['Stop TRT cold turkey and you will feel it.', 'TRT cold turkey'],
    ['Taper off over four weeks.', 'Taper off'],
  ])('catches %s', (text, match) => {
    expect(matchesOf(text, 'dose-idiom')).toEqual([match]);
  });

  it.each([
    'Quit smoking cold turkey or with support; your clinician can help.',
    'Taper your training before a race week.',
    'Training volume can taper off in a heavy work week.',
    'Run a 5k on Sundays.',
    'A sleep cycle lasts about 90 minutes.',
    'Have a blast at the weekend.',
  ])('lets pass %s', (text) => {
    expect(findDosingAdvice(text)).toEqual([]);
  });
});

describe('wider substance rules', () => {
  it.each([
    ['Come off TRT for a month before the fertility workup.', 'Come off TRT'],
    ['Hop off TRT for a month.', 'Hop off TRT'],
    ['Bring your testosterone down a notch.', 'Bring your testosterone down'],
    ['Your estradiol needs to be reduced.', 'estradiol needs to be reduced'],
    ['The anastrozole ought to be stopped.', 'anastrozole ought to be stopped'],
    ['Take an E2 blocker.', 'Take an E2 blocker'],
    ['Take your peps before bed.', 'Take your peps'],
    ['Run GH five nights a week.', 'Run GH'],
  ])('substance-action catches %s', (text, match) => {
    expect(matchesOf(text, 'substance-action')).toEqual([match]);
  });

  it.each([
    // A protocol is acted on only by an instruction to the reader.
    'Men starting TRT at 40 often ask about sleep.',
    'After stopping TRT, LH and FSH can take months to recover.',
    'When you come off TRT, sleep matters even more.',
    'Pair TRT with strength training twice a week.',
    // "Bring" alone is not a level verb; a passive level verb on a hormone needs an obligation.
    'Bring your medications to your next appointment.',
    'Testosterone is lowered by short sleep.',
    'GH release is highest in deep sleep.',
  ])('substance-action lets pass %s', (text) => {
    expect(findDosingAdvice(text)).toEqual([]);
  });

  it('reads a protocol schedule after a copula, and not a main clause after an opening setting', () => {
    expect(matchesOf('Your TRT is twice a week.', 'substance-schedule')).toEqual([
      'TRT is twice a week',
    ]);
    expect(findDosingAdvice('On testosterone therapy, lift three times a week.')).toEqual([]);
    expect(rulesOf('On anastrozole, twice a week is usual.')).toEqual(['substance-schedule']);
  });
});
