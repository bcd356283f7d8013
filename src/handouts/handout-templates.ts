import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR, ViewRenderer } from '../views/view-renderer';
import type { HandoutView } from './handout-view';

const ROOT = join(TEMPLATES_DIR, 'handouts');
/** Regular and bold only: each weight inlined is parsed again on every render. */
const FONT_WEIGHTS = [400, 700] as const;
/**
 * What a handout says is also decided in code (the footer, which points and
 * sources a kind shows, in handout-view.ts): a change there changes this,
 * and so the version, so stored PDFs made before it are not served.
 */
const CONTENT_REVISION = '3: the patient notes cite only the articles behind what they keep';

/**
 * The handout templates (templates/handouts), compiled once at start, with
 * the stylesheet and the font inlined so the page needs nothing from outside.
 * The version is a hash of the templates and stylesheet: any change makes a
 * new version, so stored PDFs of the old one are never served for the new.
 */
export class HandoutTemplates {
  readonly version: string;
  private readonly views = new ViewRenderer(ROOT);
  private readonly css: string;

  constructor() {
    const fonts = FONT_WEIGHTS.map((weight) => {
      const file = require.resolve(
        `@fontsource/source-sans-3/files/source-sans-3-latin-${weight}-normal.woff2`,
      );
      const data = readFileSync(file).toString('base64');
      return `@font-face{font-family:'Source Sans 3';font-style:normal;font-weight:${weight};src:url(data:font/woff2;base64,${data}) format('woff2');}`;
    });
    const stylesheet = readFileSync(join(ROOT, 'handout.css'), 'utf8');
    this.css = `${fonts.join('')}\n${stylesheet}`;
    const hash = createHash('sha256').update(CONTENT_REVISION);
    for (const file of listFiles(ROOT)) hash.update(file).update(readFileSync(join(ROOT, file)));
    this.version = `t-${hash.digest('hex').slice(0, 12)}`;
  }

  /**
   * The page. Every value is escaped by Handlebars; the one unescaped value,
   * chartSvg, is SVG that pillar-chart.ts builds with every text escaped.
   */
  html(view: HandoutView): string {
    return this.views.render(view.kind, { ...view, css: this.css + footerCss(view) }, 'handout');
  }

  /** The footer's words, for the dosing-advice check. */
  footerText(view: HandoutView): string {
    return `${footerLead(view)} Page 1 of 1`;
  }
}

/**
 * The footer on every page: the ruleset version, the date and the no-dosing
 * line at the left, page x of y at the right. Drawn by the page's own CSS
 * (page-margin boxes), which prints in about half the time of Chromium's
 * separate footer template.
 */
function footerCss(view: HandoutView): string {
  const box = 'font-size:7.5pt;color:#4a5263;vertical-align:top;padding-top:4mm';
  return (
    `@page{@bottom-left{content:${cssString(footerLead(view))};${box}}` +
    `@bottom-right{content:"Page " counter(page) " of " counter(pages);${box}}}`
  );
}

/** A CSS string literal; `<` is escaped too, so the text can never close the style element. */
export function cssString(text: string): string {
  return `"${text.replace(/["\\<\n\r]/g, (char) => `\\${char.charCodeAt(0).toString(16)} `)}"`;
}

function footerLead(view: HandoutView): string {
  const lead = `Ruleset ${view.rulesetVersion} · Generated ${view.generatedDay} · Lifestyle guidance only: contains no dosing advice.`;
  return view.consentLine ? `${lead} · ${view.consentLine}` : lead;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.hbs') || file.endsWith('.css'))
    .sort();
}
