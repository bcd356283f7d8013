import type { Browser as Chromium, Page } from 'puppeteer-core';
import { ClinicEntity } from '../src/clinics/clinic.entity';
import { ClinicTime } from '../src/common/clinic-time';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import { submitIntake, SubmittedIntake } from './support/intake-flow';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

const ZONE = 'Asia/Kolkata';

describe("a patient's access history on their page, in real Chromium", () => {
  let t: TestApp;
  let chromium: Chromium;
  let doc: TestUser;
  let docA: Browser;
  let patientId: string;
  let submitted: SubmittedIntake;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const alpha = await createClinic(t.dataSource, 'Alpha');
    await t.dataSource.getRepository(ClinicEntity).update(alpha.id, { timeZone: ZONE });
    const bravo = await createClinic(t.dataSource, 'Bravo');
    doc = await createUser(t.dataSource, alpha, { email: 'doc@alpha.test' });
    const other = await createUser(t.dataSource, bravo, { email: 'snoop@bravo.test' });
    const patient = await createPatient(t.dataSource, doc, { familyName: 'Rao' });
    patientId = patient.id;
    docA = await signIn(t.server, doc);
    submitted = await submitIntake(t.server, t.dataSource, docA, patient);
    const docB = await signIn(t.server, other);

    // A view and a download by the clinic's doctor, then a refused attempt from another clinic.
    const statuses = [
      (await docA.agent.get(`/intakes/${submitted.intake.id}`).accept('html')).status,
      (await docA.agent.get(`/assessments/${submitted.assessment.id}/handouts/clinician`)).status,
      (await docB.agent.get(`/intakes/${submitted.intake.id}`).accept('html')).status,
    ];
    if (statuses.join() !== '200,200,404') throw new Error(`Setup failed: ${statuses.join()}`);
  });
  afterAll(async () => {
    await chromium.close();
    await t.close();
  });

  const newPage = () => openPage(chromium, { javascript: false, width: 1280, height: 900 });

  /** The history table's rows as the clinician reads them. */
  const rowsOn = (page: Page) =>
    page.$$eval('table.access-history tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')),
    );

  it('shows who did what and when, newest first, in the clinic’s zone, and someone outside unnamed', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${t.baseUrl}/sign-in`);
      await page.type('#field-email', doc.email);
      await page.type('#field-password', doc.password);
      await clickAndWait(page, 'form[action="/sign-in"] button[type="submit"]');
      await page.goto(`${t.baseUrl}/patients/${patientId}`);
      await page.waitForSelector('#history-title');

      const header = await page.$eval('table.access-history thead', (el) => el.textContent);
      expect(header).toContain(`When (${ZONE})`);
      const rows = await rowsOn(page);
      // This visit first, then the refused attempt, the download and the view, newest first.
      expect(rows.slice(0, 4)).toEqual([
        [expect.any(String), 'User doc@alpha.test', "Viewed the patient's page", 'Done'],
        [expect.any(String), 'Someone outside this clinic', 'Viewed an intake', 'Refused'],
        [expect.any(String), 'User doc@alpha.test', 'Downloaded a handout', 'Done'],
        [expect.any(String), 'User doc@alpha.test', 'Viewed an intake', 'Done'],
      ]);
      const [download] = await t.dataSource.query<{ occurred_at: Date }[]>(
        `SELECT occurred_at FROM audit_events WHERE action = 'handout.download' AND patient_id = $1`,
        [patientId],
      );
      expect(rows[2][0]).toBe(new ClinicTime(ZONE).second(download.occurred_at));
      expect(await page.content()).not.toContain('snoop@bravo.test');
      await expectAccessible(page, 'patient page with its access history');
    } finally {
      await context.close();
    }
  });

  it('caps the list on the page and links to older entries, which are a page of their own', async () => {
    for (let i = 0; i < 12; i++)
      expect((await docA.agent.get(`/patients/${patientId}`).accept('html')).status).toBe(200);
    const { context, page } = await newPage();
    try {
      await page.goto(`${t.baseUrl}/sign-in`);
      await page.type('#field-email', doc.email);
      await page.type('#field-password', doc.password);
      await clickAndWait(page, 'form[action="/sign-in"] button[type="submit"]');
      await page.goto(`${t.baseUrl}/patients/${patientId}`);
      expect(await rowsOn(page)).toHaveLength(10);
      await clickAndWait(page, 'a[href^="/patients/"][href*="/history?before="]');
      expect(new URL(page.url()).pathname).toBe(`/patients/${patientId}/history`);
      const older = await rowsOn(page);
      expect(older.length).toBeGreaterThan(5);
      // Older than everything on the patient page: the first view of the intake is among them.
      expect(older.map((row) => row[2])).toContain('Viewed an intake');
      expect(older.map((row) => row[1])).toContain('Someone outside this clinic');
      await expectAccessible(page, 'older entries of the access history');
    } finally {
      await context.close();
    }
  });
});
