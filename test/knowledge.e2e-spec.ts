import Handlebars from 'handlebars';
import type { Browser as Chromium } from 'puppeteer-core';
import { axeViolations, launchChromium } from './support/chromium';
import {
  Browser,
  browser,
  createClinic,
  createUser,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';
import { loadContent } from '../src/content/content';

const SLEEP_ROW = 'kb-hpg-recovery--further-factors--sleep-architecture';
const OUTCOME_ROW = 'kb-hpg-recovery--molecular-pathways--clinical-outcome';

/** The HTML of the element with this id, up to its closing tag (the row articles do not nest). */
function rowHtml(html: string, id: string): string {
  const start = html.indexOf(`<article id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</article>', start));
}

describe('the knowledge-base page', () => {
  let t: TestApp;
  let user: TestUser;
  let clinician: Browser;
  let admin: Browser;
  const kb = loadContent().knowledgeBase;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    const clinic = await createClinic(t.dataSource, 'Knowledge Clinic');
    user = await createUser(t.dataSource, clinic, { email: 'doc@knowledge.test' });
    clinician = await signIn(t.server, user);
    admin = await signIn(
      t.server,
      await createUser(t.dataSource, clinic, { email: 'admin@knowledge.test', role: 'admin' }),
    );
  });
  afterAll(() => t.close());

  const page = (client: Browser) => client.agent.get('/knowledge').set('Accept', 'text/html');

  it('shows a signed-in clinician every article, the ruleset version, and the rules citing a row', async () => {
    const response = await page(clinician);
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/html');
    for (const article of loadContent().articles) {
      expect(response.text).toContain(Handlebars.escapeExpression(article.title));
      for (const table of article.tables) {
        expect(response.text).toContain(Handlebars.escapeExpression(table.title));
      }
    }
    expect(response.text).toContain(`<code>${kb.version}</code>`);

    const sleep = rowHtml(response.text, SLEEP_ROW);
    expect(sleep).toContain('<code>sleep.apnea-signs.post-trt</code>');
    const apnea = kb.rules.find((r) => r.id === 'sleep.apnea-signs.post-trt');
    expect(sleep).toContain(Handlebars.escapeExpression(apnea?.clinician.summary ?? 'missing'));
    // Its scope, what it says, and the threshold the product added, as a reviewer reads them.
    expect(sleep).toContain('<strong>Written for:</strong> Post-TRT or fertility recovery');
    expect(sleep).toContain('<strong>What it says:</strong>');
    expect(sleep).toContain('Threshold added by the product:');
    expect(sleep).toContain('Has anyone seen you stop breathing, choke or gasp during your sleep?');
  });

  it('says which rows no rule cites, and why', async () => {
    const outcome = rowHtml((await page(clinician)).text, OUTCOME_ROW);
    expect(outcome).toContain('No rule cites this row.');
    expect(outcome).toContain('describes a result a clinician observes in labs and follow-up');
    expect(outcome).not.toContain('<table');
  });

  it('has a table of contents whose every link leads to an element on the page', async () => {
    const html = (await page(clinician)).text;
    const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    // Main content, back-to-contents, then one per article and per table.
    const tableCount = loadContent().articles.reduce((sum, a) => sum + a.tables.length, 0);
    expect(targets.length).toBeGreaterThanOrEqual(loadContent().articles.length + tableCount);
    for (const target of new Set(targets)) {
      expect({ target, found: html.includes(`id="${target}"`) }).toEqual({ target, found: true });
    }
  });

  it('is open to admins too, and linked from the navigation', async () => {
    expect((await page(admin)).status).toBe(200);
    const home = await clinician.agent.get('/').set('Accept', 'text/html');
    expect(home.text).toContain('<a href="/knowledge">Knowledge base</a>');
  });

  it('sends a signed-out visitor to sign in', async () => {
    const response = await page(browser(t.server));
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/sign-in');
  });

  describe('in real Chromium', () => {
    let chromium: Chromium;
    beforeAll(async () => (chromium = await launchChromium()));
    afterAll(() => chromium.close());

    it('has no axe violations, and fits a narrow screen without scrolling sideways', async () => {
      const context = await chromium.createBrowserContext();
      try {
        const tab = await context.newPage();
        await tab.setViewport({ width: 1280, height: 900 });
        await tab.goto(`${t.baseUrl}/sign-in`);
        await tab.type('#field-email', user.email);
        await tab.type('#field-password', user.password);
        await Promise.all([tab.waitForNavigation(), tab.click('button[type="submit"]')]);
        await tab.goto(`${t.baseUrl}/knowledge`);
        expect(await tab.title()).toBe('Knowledge base · Lifestyle intake');
        expect(await axeViolations(tab)).toEqual([]);

        // A contents link moves to its table.
        await tab.click(`a[href="#kb-evening-routine--practice"]`);
        expect(new URL(tab.url()).hash).toBe('#kb-evening-routine--practice');

        await tab.setViewport({ width: 360, height: 780 });
        const overflow = await tab.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
        expect(await axeViolations(tab)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
