import type { Browser as Chromium, BrowserContext, Page } from 'puppeteer-core';
import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { InvitationEntity } from '../src/invitations/invitation.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import { UserEntity } from '../src/users/user.entity';
import { clickAndWait, expectAccessible, launchChromium, openPage } from './support/chromium';
import { TYPICAL_ANSWERS } from './support/intake-flow';
import { openLink } from './support/patient-link';
import { createClinic, createUser, startTestApp, TestApp, TestUser } from './support/test-app';

/**
 * A clinician as people really work: a reload after every form, a second link
 * for the same patient, the patient answering through the older one. Once, a
 * reload made a second link and the submitted patient fell out of the
 * "Submitted" list behind the newer link.
 */
describe('the worklist stays right through reloads and a second link, in real Chromium', () => {
  let t: TestApp;
  let chromium: Chromium;
  let doc: TestUser;
  let admin: TestUser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    chromium = await launchChromium();
    const clinic = await createClinic(t.dataSource, 'Worklist Clinic');
    doc = await createUser(t.dataSource, clinic, { email: 'doc@worklist.test' });
    admin = await createUser(t.dataSource, clinic, { email: 'admin@worklist.test', role: 'admin' });
    ({ context, page } = await openPage(chromium, { javascript: true, width: 1280, height: 900 }));
  });
  afterAll(async () => {
    await context.close();
    await chromium.close();
    await t.close();
  });

  const pathOf = (): string => new URL(page.url()).pathname;
  const count = (entity: new () => object, where: object) =>
    t.dataSource.getRepository(entity).countBy(where);
  const events = (action: string) => count(AuditEventEntity, { action, outcome: 'success' });
  const textOf = (selector: string): Promise<string> =>
    page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
  /** A reload of what the last form led to: what it did must not happen again. */
  const reload = async () => {
    await page.reload({ waitUntil: 'load' });
  };
  const signIn = async (user: TestUser) => {
    await page.goto(`${t.baseUrl}/sign-in`);
    await page.type('#field-email', user.email);
    await page.type('#field-password', user.password);
    await clickAndWait(page, 'form button[type="submit"]');
    await reload();
    expect(pathOf()).toBe('/');
  };
  /** Patients listed under a status filter, in the page and in the JSON API of the same session. */
  const listedUnder = async (status: string): Promise<{ page: string[]; api: string[] }> => {
    await page.goto(`${t.baseUrl}/?status=${status}`);
    const names = await page.$$eval('table.patient-list tbody .table__title', (cells) =>
      cells.map((cell) => cell.textContent?.trim() ?? ''),
    );
    const api = await page.evaluate(async (s) => {
      const response = await fetch(`/api/patients?status=${s}`);
      const body = (await response.json()) as { patients: { familyName: string }[] };
      return body.patients.map((p) => p.familyName);
    }, status);
    return { page: names, api };
  };

  it('a clinician adds a patient, makes two links, reloading after each form: nothing happens twice', async () => {
    await signIn(doc);

    // Add a patient, then reload the page the form led to.
    await page.click('.add-patient summary');
    await page.type('#field-givenName', 'Wren');
    await page.type('#field-familyName', 'Twolinks');
    await clickAndWait(page, 'form[action="/patients"] button[type="submit"]');
    await reload();
    expect(await count(PatientEntity, { familyName: 'Twolinks' })).toBe(1);
    const patientPath = pathOf();
    expect(patientPath).toMatch(/^\/patients\/[0-9a-f-]{36}$/);

    // A TRT link: shown after the redirect, and again after a reload; one link made.
    await page.select('#field-protocol', 'trt');
    await clickAndWait(page, 'form[action$="/invitations"] button[type="submit"]');
    const older = await page.$eval('#new-link', (el) => (el as HTMLInputElement).value);
    await reload();
    expect(await page.$eval('#new-link', (el) => (el as HTMLInputElement).value)).toBe(older);
    expect(await count(InvitationEntity, {})).toBe(1);
    await expectAccessible(page, 'patient page with a new link');

    // Another TRT link while that one is active: asked first; keeping it changes nothing.
    await page.select('#field-protocol', 'trt');
    await clickAndWait(page, 'form[action$="/invitations"] button[type="submit"]');
    expect(await textOf('#replace-link h3')).toBe(
      'Replace the active Testosterone replacement (TRT) link?',
    );
    await expectAccessible(page, 'asked to replace a link');
    await reload();
    await clickAndWait(page, '#replace-link a');
    expect(await count(InvitationEntity, {})).toBe(1);

    // A second link, for the follow-up protocol: now the patient has two.
    await page.select('#field-protocol', 'post_trt_recovery');
    await clickAndWait(page, 'form[action$="/invitations"] button[type="submit"]');
    await reload();
    expect(await count(InvitationEntity, {})).toBe(2);
    expect(await events('invitation.create')).toBe(2);

    // The patient answers and sends through the older link.
    const [first] = await t.dataSource
      .getRepository(InvitationEntity)
      .find({ order: { createdAt: 'ASC' } });
    const patient = await openLink(t.server, { id: first.id, link: older });
    const saved = await patient.client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', patient.token)
      .send(TYPICAL_ANSWERS);
    const sent = await patient.client.agent
      .post('/api/intake/submit')
      .set('X-CSRF-Token', patient.token);
    expect([saved.status, sent.status]).toEqual([200, 201]);

    // Under "Submitted", in the page and the API, whatever the newer link.
    expect(await listedUnder('submitted')).toEqual({ page: ['Twolinks, Wren'], api: ['Twolinks'] });
    expect(await listedUnder('invited')).toEqual({ page: [], api: [] });

    // The link used says so, with its dates.
    await page.goto(`${t.baseUrl}${patientPath}`);
    const states = await page.$$eval('#invitations-title ~ table .state', (cells) =>
      cells.map((cell) => cell.textContent?.trim()),
    );
    expect(states).toEqual(['Active', 'Used']);
  });

  it('marks a point and completes the review, reloading after each: then "Reviewed" in the list and the API', async () => {
    const intake = await t.dataSource.getRepository(IntakeEntity).findOneByOrFail({});
    await page.goto(`${t.baseUrl}/intakes/${intake.id}`);
    const form = 'article.point form';
    await page.$eval(`${form} details, article.point details`, (el) => el.setAttribute('open', ''));
    await page.click(`${form} input[value="discussed"]`);
    await clickAndWait(page, `${form} button[type="submit"]`);
    await reload();
    expect(await events('point.review')).toBe(1);

    // Unmarked points: asked first, with the count; a reload of the question does nothing.
    await clickAndWait(page, '#complete form button[type="submit"]');
    expect(await textOf('#complete')).toMatch(/^1 of \d+ discussion points marked/);
    await reload();
    expect(await events('intake.review')).toBe(0);
    await clickAndWait(page, '#complete .notice form button[type="submit"]');
    await reload();
    expect(await textOf('#complete')).toContain('Review completed');
    expect(await events('intake.review')).toBe(1);

    expect(await listedUnder('reviewed')).toEqual({ page: ['Twolinks, Wren'], api: ['Twolinks'] });
    expect(await listedUnder('submitted')).toEqual({ page: [], api: [] });
    // Back to the patient page with the browser's back button: nothing is sent again.
    await page.goBack();
    await page.goBack();
    expect(await events('intake.review')).toBe(1);
  });

  it('an admin invites, deactivates and sets the time zone, reloading after each: nothing twice', async () => {
    await page.goto(`${t.baseUrl}/sign-in`); // signed in: straight to the list
    await clickAndWait(page, 'form[action="/sign-out"] button');
    await signIn(admin);

    await page.goto(`${t.baseUrl}/admin/clinicians`);
    await page.type('#field-displayName', 'Nia Nurse');
    await page.type('#field-email', 'nia@worklist.test');
    await clickAndWait(page, 'form[action="/admin/clinicians"] button[type="submit"]');
    await reload();
    expect(await page.$eval('#new-link', (el) => (el as HTMLInputElement).value)).toMatch(
      /\/welcome\/[A-Za-z0-9_-]{43}$/,
    );
    expect(await count(UserEntity, { email: 'nia@worklist.test' })).toBe(1);
    expect(await events('user.invite')).toBe(1);

    const nia = await t.dataSource
      .getRepository(UserEntity)
      .findOneByOrFail({ email: 'nia@worklist.test' });
    await clickAndWait(page, `form[action="/admin/clinicians/${nia.id}/deactivate"] button`);
    await reload();
    expect(await events('user.deactivate')).toBe(1);

    await page.goto(`${t.baseUrl}/admin/clinic`);
    await page.select('#field-timeZone', 'Asia/Tokyo');
    await clickAndWait(page, 'form[action="/admin/clinic"] button[type="submit"]');
    await reload();
    expect(await events('clinic.settings')).toBe(1);
    expect(await textOf('.site-footer')).toContain('Asia/Tokyo');
    await expectAccessible(page, 'clinic settings, saved');
  });
});
