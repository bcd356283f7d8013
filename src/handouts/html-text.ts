const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/**
 * The words a reader sees in an HTML document: what the dosing guard checks
 * before a handout leaves. Drops the head (styles, inlined font), the SVG's
 * own style, tags and comments, and decodes character references. Block
 * ends end a sentence, and so does a citation on both sides: a source label
 * printed beside a summary is read on its own, not as part of its sentence.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/gi, ' ')
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/(p|li|h[1-6]|div|dt|dd|tr|section|article|title|cite)>|<cite\b[^>]*>/gi, '.\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
      if (ref.startsWith('#x') || ref.startsWith('#X'))
        return String.fromCodePoint(parseInt(ref.slice(2), 16));
      if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
      return ENTITIES[ref.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .replace(/ +\.\n/g, '.\n')
    .replace(/\.(?:\n\.)+/g, '.')
    .trim();
}
