import type { Browser as Chromium, Page } from 'puppeteer-core';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import { createClinic, createUser, startTestApp, TestApp, TestUser } from './support/test-app';
import { verifyWebhook, WebhookReceiver } from './support/webhook-receiver';

/*
 * The admin's Webhooks page in real Chromium, with no script loaded: a
 * refused address (or an endpoint left with no event) comes back at its
 * field with what was typed; a good one
 * shows the signing secret once (a reload no longer shows it); the test
 * event arrives signed at a receiver in this process and shows in the log;
 * an endpoint the service turned off is announced. axe finds nothing on
 * any of these states, at desk and phone widths.
 */
describe('an admin registers a webhook endpoint in real Chromium', () => {
  let t: TestApp;
  let chromium: Chromium;
  let receiver: WebhookReceiver;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    receiver = await WebhookReceiver.start();
    const clinic = await createClinic(t.dataSource, 'Browser Webhooks Clinic');
    admin = await createUser(t.dataSource, clinic, { email: 'admin@hooks.test', role: 'admin' });
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
    await receiver.close();
  });

  const valueOf = (page: Page, selector: string) =>
    page.$eval(selector, (el) => (el as HTMLInputElement).value);

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${t.baseUrl}/sign-in`);
    await page.type('#field-email', admin.email);
    await page.type('#field-password', admin.password);
    await clickAndWait(page, 'form[action="/sign-in"] button[type="submit"]');
  }

  it('refuses a bad address at its field, shows the secret once, sends a signed test event and logs it', async () => {
    const { context, page } = await openPage(chromium, {
      javascript: false,
      width: 1280,
      height: 900,
    });
    try {
      await signIn(page);
      await clickAndWait(page, 'nav a[href="/admin/webhooks"]');
      expect(new URL(page.url()).pathname).toBe('/admin/webhooks');
      expect(await page.$eval('main', (el) => el.textContent)).toContain('None yet.');
      await expectAccessible(page, 'webhooks page, empty');

      // A mistake first: the summary leads to the field, and what was typed stays.
      await page.type('#field-url', 'ftp://hooks.example.org/intake');
      await page.click('#register-event-2'); // handout.ready off
      await clickAndWait(page, 'form[action="/admin/webhooks"] button[type="submit"]');
      expect(await page.$eval('.error-summary a', (a) => a.getAttribute('href'))).toBe(
        '#field-url',
      );
      expect(await page.$eval('#url-error', (el) => el.textContent)).toContain('https://');
      expect(await valueOf(page, '#field-url')).toBe('ftp://hooks.example.org/intake');
      expect(await page.$$eval('input[name="events"]:checked', (boxes) => boxes.length)).toBe(2);
      await expectAccessible(page, 'webhooks page with a refused address');

      await page.$eval('#field-url', (el) => ((el as HTMLInputElement).value = ''));
      await page.type('#field-url', receiver.url('/browser'));
      await clickAndWait(page, 'form[action="/admin/webhooks"] button[type="submit"]');
      const secret = await valueOf(page, '#new-secret-value');
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(await page.$eval('#new-secret', (el) => el.textContent)).toContain(
        receiver.url('/browser'),
      );
      await expectAccessible(page, 'webhooks page showing the new secret');

      // Shown once: a reload no longer has it.
      await page.reload();
      expect(await page.$('#new-secret-value')).toBeNull();
      expect(await page.content()).not.toContain(secret);

      const [endpoint] = await t.dataSource.query<{ id: string; events: string[] }[]>(
        `SELECT id, events FROM webhook_endpoints`,
      );
      expect(endpoint.events).toEqual(['intake.submitted', 'review.completed']);

      // No event chosen for it: refused at its boxes, as sent, and nothing changed.
      await page.click('#endpoint-0-event-0');
      await page.click('#endpoint-0-event-1');
      await clickAndWait(page, `form[action="/admin/webhooks/${endpoint.id}/events"] button`);
      expect(await page.$eval('.error-summary a', (a) => a.getAttribute('href'))).toBe(
        '#endpoint-0-event-0',
      );
      expect(await page.$eval('#endpoint-0-events-error', (el) => el.textContent)).toContain(
        'Choose at least one event to send.',
      );
      expect(
        await page.$$eval(`#endpoint-${endpoint.id} input[name="events"]:checked`, (b) => b.length),
      ).toBe(0);
      await expectAccessible(page, 'webhooks page with refused events');
      const [unchanged] = await t.dataSource.query<{ events: string[] }[]>(
        `SELECT events FROM webhook_endpoints`,
      );
      expect(unchanged.events).toEqual(['intake.submitted', 'review.completed']);
      await page.goto(`${t.baseUrl}/admin/webhooks`);
      await clickAndWait(page, `form[action="/admin/webhooks/${endpoint.id}/test"] button`);
      expect(new URL(page.url()).hash).toBe(`#endpoint-${endpoint.id}`);
      const [delivery] = receiver.at('/browser');
      expect(verifyWebhook(secret, delivery, new Date())).toBe(true);
      const log = await page.$$eval(`#endpoint-${endpoint.id} tbody tr`, (rows) =>
        rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => td.textContent?.trim())),
      );
      expect(log).toHaveLength(1);
      expect(log[0][0]).toContain('webhook.test');
      expect(log[0][2]).toBe('1');
      expect(log[0][3]).toMatch(/^Delivered .* \(HTTP 204\)$/);
      await expectAccessible(page, 'webhooks page with a delivery log');

      // Turned off by the service after a day of failures: announced at the top.
      await t.dataSource.query(
        `UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = 'failing',
           failing_since = now() - interval '25 hours' WHERE id = $1`,
        [endpoint.id],
      );
      await page.reload();
      expect(await page.$eval('.notice--warning', (el) => el.textContent)).toContain(
        'no delivery to it had succeeded for a day',
      );
      expect(await page.$(`form[action="/admin/webhooks/${endpoint.id}/enable"]`)).not.toBeNull();
      await expectAccessible(page, 'webhooks page with an endpoint turned off');
      await page.setViewport({ width: 390, height: 844 });
      await expectAccessible(page, 'webhooks page at phone width');

      await clickAndWait(page, `form[action="/admin/webhooks/${endpoint.id}/enable"] button`);
      expect(await page.$('.notice--warning')).toBeNull();
      expect(await page.$eval('main .notice', (el) => el.textContent)).toContain('Turned on.');
    } finally {
      await context.close();
    }
  });
});
