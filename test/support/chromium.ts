import { readFileSync } from 'node:fs';
import puppeteer, { Browser, BrowserContext, Page } from 'puppeteer-core';

/** Debian's Chromium (scripts/setup.sh installs it); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that work as root in a container without a GPU, and keep Chromium off the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page against WCAG 2.0/2.1 A and AA. Evaluated over the
 * DevTools protocol, so the page's CSP (no inline script) does not block it.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

/**
 * A fresh browser profile and page at the given size. With `javascript:
 * false` the page's scripts never load (the CSP allows no inline script, so
 * that is all of them), while puppeteer's own evaluate, which axe needs, keeps
 * working, unlike with setJavaScriptEnabled(false).
 */
export async function openPage(
  browser: Browser,
  options: { javascript: boolean; width: number; height: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  if (!options.javascript) {
    await page.setRequestInterception(true);
    page.on(
      'request',
      (request) =>
        void (request.resourceType() === 'script' ? request.abort() : request.continue()),
    );
  }
  await page.setViewport({ width: options.width, height: options.height });
  return { context, page };
}

/** Zero axe violations, reported with where they were found. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect({ where, violations }).toEqual({ where, violations: [] });
}

/** Clicks something that loads a new page, and waits for it. */
export async function clickAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}
