import { IsOptional, IsString } from 'class-validator';
import { validateForm } from './form-validation';
import { composed, findDisguise, SafeText, textProblem } from './safe-text';

class NameDto {
  @SafeText()
  @IsString()
  name!: string;

  @SafeText({ multiline: true })
  @IsOptional()
  @IsString()
  note?: string;
}

/** Real names, as people write them. */
const REAL_NAMES = [
  'Élodie',
  'José Núñez',
  'Øyvind Ødegård',
  'Søren Kierkegaard',
  '中文名字',
  '王小明',
  'محمد العربي',
  'עברית',
  '김민준',
  'देवनागरी',
  'श्रीनिवास',
  'प्रियंका',
  'हिन्दी',
  'கார்த்திக்',
  "O'Brien",
  'O’Connor',
  'Anne-Marie',
  'Jean‐Luc', // U+2010 hyphen
  'Nguyễn Thị Ánh',
  'Ζωή',
  'Фёдор',
  'Łukasz Żółć',
  'Ólafur Þór',
  'Dr. Mary J. Smith',
  'MRN-1042/7',
  'Zoe\u0308', // Zoë decomposed: e + combining diaeresis
  'a\u0301\u0302', // two marks in a row after NFC: the limit, still taken
  'ẞtraße',
];

describe('findDisguise: real names in many scripts pass', () => {
  it.each(REAL_NAMES)('takes %s', (name) => {
    expect(findDisguise(name)).toBeNull();
    expect(validateForm(NameDto, { name }).problems).toEqual([]);
  });

  it('stores Zoë written decomposed as the composed letter', () => {
    const { value, problems } = validateForm(NameDto, { name: 'Zoe\u0308' });
    expect(problems).toEqual([]);
    expect(value.name).toBe('Zo\u00eb');
    expect(value.name).toHaveLength(3);
    expect(composed('A\u030a')).toBe('\u00c5');
    expect(composed(42)).toBe(42);
  });

  it('keeps line breaks in a multi-line note', () => {
    const note = 'Night shifts on Mondays.\r\nTravels often.\nCares for a parent.';
    expect(validateForm(NameDto, { name: 'Ada', note }).problems).toEqual([]);
  });
});

describe('findDisguise: disguised texts are refused, saying why', () => {
  it.each([
    ['a right-to-left override', 'Alex\u202eredlof', 'bidi', /right-to-left override \(U\+202E\)/],
    ['a left-to-right mark', 'Sam\u200e', 'bidi', /U\+200E/],
    ['an Arabic letter mark', 'محمد\u061c', 'bidi', /U\+061C/],
    ['an isolate', '\u2066Bob\u2069', 'bidi', /U\+2066/],
    ['a zero-width space', 'Ad\u200ba', 'invisible', /zero-width space \(U\+200B\)/],
    ['a zero-width joiner', 'Ad\u200da', 'invisible', /U\+200D/],
    ['a zero-width non-joiner', 'Ad\u200ca', 'invisible', /U\+200C/],
    ['a word joiner', 'Ad\u2060a', 'invisible', /U\+2060/],
    ['an invisible times', 'Ad\u2062a', 'invisible', /U\+2062/],
    ['a byte-order mark', 'Ad\ufeffa', 'invisible', /U\+FEFF/],
    ['a soft hyphen', 'Ada\u00adms', 'invisible', /soft hyphen/],
    ['a Mongolian vowel separator', 'Ada\u180ems', 'invisible', /U\+180E/],
    ['a Hangul filler', 'Ada\u3164', 'invisible', /U\+3164/],
    ['a variation selector', 'Ada\ufe0f', 'invisible', /U\+FE0F/],
    ['a tag character', 'Ada\u{e0041}', 'invisible', /U\+E0041/],
    ['a line feed', 'Ada\nSmith', 'line-break', /one line/],
    ['a carriage return', 'Ada\rSmith', 'line-break', /one line/],
    ['a line separator', 'Ada\u2028Smith', 'line-break', /one line/],
    ['a next line (C1)', 'Ada\u0085Smith', 'line-break', /one line/],
    ['a tab', 'Ada\tSmith', 'control', /a tab \(U\+0009\)/],
    ['a NUL', 'Ada\u0000', 'control', /U\+0000/],
    ['an escape', 'Ada\u001b[31m', 'control', /U\+001B/],
    ['a delete', 'Ada\u007f', 'control', /U\+007F/],
    ['a C1 control', 'Ada\u009b', 'control', /U\+009B/],
    ['a lone surrogate', 'Ada\ud800', 'broken', /broken character/],
    ['Zalgo', 'Z\u0351\u0352\u0353alg\u0300\u0301\u0302\u0303o', 'stacked-marks', /at most 2/],
    [
      'three marks left after one composes',
      'e\u0301\u0302\u0303\u0304',
      'stacked-marks',
      /at most 2/,
    ],
  ])('refuses %s', (_what, text, kind, message) => {
    expect(findDisguise(text)).toMatchObject({ kind });
    expect(textProblem(text)).toMatch(message);
    const { problems } = validateForm(NameDto, { name: text });
    expect(problems).toEqual([{ field: 'name', message: expect.stringMatching(message) }]);
  });

  it('refuses in a multi-line note everything but its line breaks', () => {
    for (const note of [
      'a\tb',
      'a\u202eb',
      'a\u200bb',
      'a\u2028b',
      'a\u000bb',
      'o\u0351\u0352\u0353',
    ]) {
      const { problems } = validateForm(NameDto, { name: 'Ada', note });
      expect(problems).toEqual([{ field: 'note', message: expect.any(String) }]);
    }
    expect(textProblem('a\tb', { multiline: true })).toMatch(/spaces and line breaks/);
  });

  it('two marks in a row after composing pass, three do not', () => {
    // e + acute composes to é, leaving one mark; o + two non-composing marks is the limit.
    expect(findDisguise('e\u0301\u0323\u0302')).toBeNull();
    expect(findDisguise('o\u0351\u0352')).toBeNull();
    expect(findDisguise('o\u0351\u0352\u0353')).toMatchObject({ kind: 'stacked-marks' });
  });

  it('leaves a value that is not text to the type checks', () => {
    const { problems } = validateForm(NameDto, { name: 42 });
    expect(problems).toEqual([{ field: 'name', message: expect.stringContaining('string') }]);
  });
});
