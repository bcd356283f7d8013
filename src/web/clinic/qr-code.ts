import { create } from 'qrcode';

/*
 * An invitation link as a QR code, for the clinic's screen: the patient
 * scans it with a phone instead of typing the link. Drawn as inline SVG from
 * the symbol's modules, so it needs no script, no image request and no
 * canvas. The link is a secret (it opens the patient's intake): it is in the
 * modules only, never in the title or any other text of the SVG.
 */

/** The accessible name; deliberately says nothing of the link itself. */
export const QR_CODE_TITLE = 'QR code for the invitation link';

/** Quiet zone around the symbol, in modules. */
const MARGIN = 2;

export interface QrCodeOptions {
  /** Id of the SVG's title element; must be unique on the page. Letters, digits and dashes. */
  readonly titleId?: string;
  /** Rendered width and height in CSS pixels (the SVG scales; CSS may override). */
  readonly size?: number;
  /** The accessible name, which must not repeat a secret the code holds; the invitation's by default. */
  readonly title?: string;
}

/**
 * The text as a QR code (error correction M, a 2-module margin), dark on white,
 * `role="img"` with a title. Deterministic: the same text gives the same SVG.
 * Throws on empty text or text too long for a QR code.
 */
export function qrCodeSvg(text: string, options: QrCodeOptions = {}): string {
  const titleId = options.titleId ?? 'invitation-qr-title';
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(titleId)) {
    throw new RangeError('titleId must be letters, digits and dashes, starting with a letter');
  }
  const size = options.size ?? 256;
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const extent = modules.size + 2 * MARGIN;

  // One subpath per horizontal run of dark modules: few, short commands.
  const runs: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      runs.push(`M${start + MARGIN} ${row + MARGIN}h${col - start}v1h-${col - start}z`);
    }
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${extent} ${extent}" width="${size}" height="${size}" shape-rendering="crispEdges" class="qr-code" role="img" aria-labelledby="${titleId}">`,
    `<title id="${titleId}">${escapeXml(options.title ?? QR_CODE_TITLE)}</title>`,
    `<rect width="${extent}" height="${extent}" fill="#ffffff"/>`,
    `<path d="${runs.join('')}" fill="#000000"/>`,
    '</svg>',
  ].join('');
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
