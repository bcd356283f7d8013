import type { Browser as Chromium, Page } from 'puppeteer-core';
import { PatientEntity } from '../src/patients/patient.entity';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import {
  createClinic,
  createPatient,
  createUser,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

/*
 * The patient page's details in real Chromium: the edit form (a refused
 * email shown at its field, what was typed kept), then archiving and
 * unarchiving, each state checked with axe.
 */
describe("a patient's details on the patient page, in real Chromium", () => {
  let t: TestApp;
  let chromium: Chromium;
  let user: TestUser;
  let patient: PatientEntity;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Details Clinic');
    user = await createUser(t.dataSource, clinic, { email: 'doc@details.test' });
    patient = await createPatient(t.dataSource, user, {
      givenName: 'Mara',
      familyName: 'Detailson',
      reference: 'MD-1',
    });
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
  });

  const pathOf = (page: Page): string => new URL(page.url()).pathname;
  const textOf = (page: Page, selector: string): Promise<string> =>
    page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
  const valueOf = (page: Page, selector: string): Promise<string> =>
    page.$eval(selector, (el) => (el as HTMLInputElement).value);

  it('edits the details with a refused email first, then archives and unarchives', async () => {
    const { context, page } = await openPage(chromium, {
      javascript: true,
      width: 1280,
      height: 900,
    });
    try {
      await page.goto(`${t.baseUrl}/sign-in`);
      await page.type('#field-email', user.email);
      await page.type('#field-password', user.password);
      await clickAndWait(page, 'form[action="/sign-in"] button[type="submit"]');
      expect(pathOf(page)).toBe('/');

      await page.goto(`${t.baseUrl}/patients/${patient.id}`);
      await page.click('details.edit-details > summary');
      await expectAccessible(page, 'patient page, edit form open');

      // A bad email: refused at its field; the phone and the changed name typed are kept.
      await page.$eval('#field-familyName', (el) => ((el as HTMLInputElement).value = ''));
      await page.type('#field-familyName', 'Detailson-Reyes');
      await page.type('#field-email', 'mara@');
      await page.type('#field-phone', '+1 (555) 010-0199');
      await clickAndWait(page, 'form[action$="/details"] button[type="submit"]');
      expect(await textOf(page, '#email-error')).toBe(
        'Error: Enter an email address, like name@example.org.',
      );
      expect(await page.$eval('#field-email', (el) => el.getAttribute('aria-invalid'))).toBe(
        'true',
      );
      expect(await valueOf(page, '#field-familyName')).toBe('Detailson-Reyes');
      expect(await valueOf(page, '#field-phone')).toBe('+1 (555) 010-0199');
      expect(await valueOf(page, '#field-email')).toBe('mara@');
      await expectAccessible(page, 'patient page, edit refused');

      // Corrected: saved and shown.
      await page.$eval('#field-email', (el) => ((el as HTMLInputElement).value = ''));
      await page.type('#field-email', 'mara@example.org');
      await clickAndWait(page, 'form[action$="/details"] button[type="submit"]');
      expect(pathOf(page)).toBe(`/patients/${patient.id}`);
      expect(await textOf(page, 'h1')).toBe('Detailson-Reyes, Mara');
      expect(
        await page.$$eval('.details-list dd', (cells) => cells.map((cell) => cell.textContent)),
      ).toEqual(['mara@example.org', '+1 (555) 010-0199']);

      // Archive: the page says so, offers to undo, and makes no link.
      await clickAndWait(page, 'form[action$="/archive"] button[type="submit"]');
      expect(await textOf(page, '#archived-notice h2')).toMatch(/^Archived on /);
      expect(await page.$('form[action$="/invitations"]')).toBeNull();
      await expectAccessible(page, 'patient page, archived');

      // The list leaves the patient out until the filter asks for archived patients.
      await page.goto(`${t.baseUrl}/`);
      expect(await page.$(`a[href="/patients/${patient.id}"]`)).toBeNull();
      await page.select('#filter-archived', 'only');
      await clickAndWait(page, 'form.filters button[type="submit"]');
      expect(await textOf(page, 'table.patient-list tbody .table__title')).toBe(
        'Detailson-Reyes, Mara (archived)',
      );
      await expectAccessible(page, 'patient list, archived only');

      // Unarchive: back on the list, links can be made again.
      await clickAndWait(page, `a[href="/patients/${patient.id}"]`);
      await clickAndWait(page, 'form[action$="/unarchive"] button[type="submit"]');
      expect(await page.$('#archived-notice')).toBeNull();
      expect(await page.$('form[action$="/invitations"]')).not.toBeNull();
      await page.goto(`${t.baseUrl}/`);
      expect(await page.$(`a[href="/patients/${patient.id}"]`)).not.toBeNull();
    } finally {
      await context.close();
    }
  });
});
