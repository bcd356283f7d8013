import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/project-root';
import { assertNoDosingAdvice, DosingAdviceError, findDosingAdvice } from './dosing-guard';

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
    expect(DOSING.length).toBeGreaterThanOrEqual(100);
    expect(LIFESTYLE.length).toBeGreaterThanOrEqual(100);
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
