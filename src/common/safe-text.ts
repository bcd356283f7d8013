import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';

/*
 * Text a person types, as it is stored and shown: composed (NFC), and free of
 * characters that make it display as something else than what it holds. A
 * patient's name with a right-to-left override reads backwards on the list
 * and in a PDF; one with a zero-width space or a soft hyphen looks like
 * another patient's name and is not found by a search for it; a line break
 * splits a one-line field in two; a stack of combining marks ("Zalgo") draws
 * over the lines around it. Real names in any script pass: letters with
 * their accents (composed or not), Arabic, Hebrew, Chinese, Hangul, and
 * Devanagari with its vowel signs, apostrophes and hyphens.
 */

/** Why a text is refused, with the first character at fault. */
export type Disguise =
  | { readonly kind: 'control'; readonly char: string }
  | { readonly kind: 'line-break'; readonly char: string }
  | { readonly kind: 'bidi'; readonly char: string }
  | { readonly kind: 'invisible'; readonly char: string }
  | { readonly kind: 'broken'; readonly char: string }
  | { readonly kind: 'stacked-marks'; readonly char: string };

/** More than this many combining marks in a row, after composing, is refused. */
export const MAX_MARKS_IN_A_ROW = 2;

/** Bidirectional controls: marks, embeddings, overrides and isolates. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/**
 * Characters that draw nothing: Unicode's default-ignorable code points
 * (zero-width space, joiner and non-joiner, word joiner, invisible operators,
 * byte-order mark, soft hyphen, Mongolian vowel separator, variation
 * selectors, Hangul fillers, tags, ...), plus U+180E, which left that set in
 * Unicode 6.3 and still draws nothing. The bidi controls are among them and
 * are named apart above.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u180e]/u;
/** Line breaks a multi-line text keeps: LF, and CR as browsers send CR LF. */
const KEPT_BREAKS = /[\n\r]/u;
/** Line feed, vertical tab, form feed, carriage return, next line, line and paragraph separators. */
const LINE_BREAK = /[\n\v\f\r\u0085\u2028\u2029]/u;
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const STACKED_MARKS = new RegExp(`\\p{M}{${MAX_MARKS_IN_A_ROW + 1},}`, 'u');

export interface TextRules {
  /** Keeps line breaks (LF, CR LF): a note. Every other rule still holds. */
  readonly multiline?: boolean;
}

/** Composes a text (NFC), as it is stored and compared. Anything else passes unchanged. */
export function composed(value: unknown): unknown {
  return typeof value === 'string' && !LONE_SURROGATE.test(value) ? value.normalize('NFC') : value;
}

/** The first reason the text would display as something else than it holds, or null. */
export function findDisguise(text: string, rules: TextRules = {}): Disguise | null {
  const lone = LONE_SURROGATE.exec(text);
  if (lone) return { kind: 'broken', char: lone[0] };
  const nfc = text.normalize('NFC');
  for (const char of nfc) {
    if (rules.multiline && KEPT_BREAKS.test(char)) continue;
    if (LINE_BREAK.test(char)) return { kind: 'line-break', char };
    if (CONTROL.test(char)) return { kind: 'control', char };
    if (BIDI.test(char)) return { kind: 'bidi', char };
    if (INVISIBLE.test(char)) return { kind: 'invisible', char };
  }
  const stacked = STACKED_MARKS.exec(nfc);
  if (stacked) return { kind: 'stacked-marks', char: stacked[0] };
  return null;
}

/** Names people know for the characters most often met; others by their code point. */
const NAMES: Readonly<Record<string, string>> = {
  '\t': 'a tab',
  '\u00ad': 'a soft hyphen',
  '\u061c': 'an Arabic letter mark',
  '\u180e': 'a Mongolian vowel separator',
  '\u200b': 'a zero-width space',
  '\u200c': 'a zero-width non-joiner',
  '\u200d': 'a zero-width joiner',
  '\u200e': 'a left-to-right mark',
  '\u200f': 'a right-to-left mark',
  '\u202a': 'a left-to-right embedding',
  '\u202b': 'a right-to-left embedding',
  '\u202c': 'a pop directional formatting',
  '\u202d': 'a left-to-right override',
  '\u202e': 'a right-to-left override',
  '\u2060': 'a word joiner',
  '\u2066': 'a left-to-right isolate',
  '\u2067': 'a right-to-left isolate',
  '\u2068': 'a first strong isolate',
  '\u2069': 'a pop directional isolate',
  '\ufeff': 'a zero-width no-break space (byte-order mark)',
};

export const codePoint = (char: string): string =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

const named = (char: string): string => `${NAMES[char] ?? 'a character'} (${codePoint(char)})`;

/** Why, in plain words, and what to do: the message shown at the field. */
export function describeDisguise(disguise: Disguise, rules: TextRules = {}): string {
  switch (disguise.kind) {
    case 'line-break':
      return 'Type this on one line: it holds a line break.';
    case 'control':
      return rules.multiline
        ? `Remove ${named(disguise.char)}: only letters, digits, punctuation, spaces and line breaks are taken.`
        : `Remove ${named(disguise.char)}: only letters, digits, punctuation and spaces are taken.`;
    case 'bidi':
      return `Remove ${named(disguise.char)}, an invisible character that changes the order in which text is shown, so it would read differently from what it holds.`;
    case 'invisible':
      return `Remove ${named(disguise.char)}, an invisible character that could make this look like another text.`;
    case 'broken':
      return 'This holds a broken character (half of a surrogate pair). Type it again.';
    case 'stacked-marks':
      return `Remove some accents or marks: at most ${MAX_MARKS_IN_A_ROW} may follow one letter, as more draw over the lines around it.`;
  }
}

/** The message for a text, or null when it may be stored. */
export function textProblem(text: string, rules: TextRules = {}): string | null {
  const disguise = findDisguise(text, rules);
  return disguise ? describeDisguise(disguise, rules) : null;
}

/**
 * A text a person types: composed to NFC on the way in, and refused, with a
 * message saying why, when it holds control characters (line breaks too,
 * unless `multiline`), bidirectional controls, invisible characters, a
 * broken surrogate, or more than MAX_MARKS_IN_A_ROW combining marks in a row.
 * Put it above the field's other transforms and checks (they then see the
 * composed text); a value that is not a string is left to @IsString.
 */
export function SafeText(rules: TextRules = {}, options?: ValidationOptions): PropertyDecorator {
  const normalise = Transform(({ value }: { value: unknown }) => composed(value));
  const refuse = ValidateBy(
    {
      name: rules.multiline ? 'safeMultilineText' : 'safeText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !findDisguise(value, rules),
        defaultMessage: (args) =>
          typeof args?.value === 'string'
            ? (textProblem(args.value, rules) ?? 'This text cannot be taken.')
            : 'This text cannot be taken.',
      },
    },
    options,
  );
  return (target, property) => {
    normalise(target, property);
    refuse(target, property);
  };
}
