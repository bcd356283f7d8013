import { cssString } from './handout-templates';

describe('cssString', () => {
  it('quotes plain text as it is', () => {
    expect(cssString('Ruleset 2026-11.1 · Generated 21 Nov 2026')).toBe(
      '"Ruleset 2026-11.1 · Generated 21 Nov 2026"',
    );
  });

  it('escapes quotes, backslashes, line breaks and "<", so the text cannot leave the string or the style element', () => {
    const quoted = cssString('a"b\\c\nd</style><script>');
    expect(quoted).toBe('"a\\22 b\\5c c\\a d\\3c /style>\\3c script>"');
    expect(quoted.slice(1, -1)).not.toMatch(/["<\n]/);
  });
});
