import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { ClinicEntity } from '../src/clinics/clinic.entity';
import { ClinicTime, serverTimeZone } from '../src/common/clinic-time';
import {
  Browser,
  createClinic,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

/** Times once showed in UTC only; the clinic now reads them in its own zone, named. */
describe("the clinic's time zone", () => {
  let t: TestApp;
  let admin: Browser;
  let doc: Browser;
  let clinic: ClinicEntity;
  const page = (client: Browser, path: string) => client.agent.get(path).set('Accept', 'text/html');

  beforeAll(async () => {
    t = await startTestApp();
    clinic = await createClinic(t.dataSource, 'Zone Clinic');
    admin = await signIn(
      t.server,
      await createUser(t.dataSource, clinic, { email: 'admin@zone.test', role: 'admin' }),
    );
    doc = await signIn(
      t.server,
      await createUser(t.dataSource, clinic, { email: 'doc@zone.test' }),
    );
  });
  afterAll(() => t.close());

  it("defaults to the server's zone, and says which on every page", async () => {
    const list = await page(doc, '/');
    expect(list.text).toContain(`Dates and times are shown in ${serverTimeZone()}`);
  });

  it('lets an admin choose it; every page and the audit log then use it', async () => {
    const refused = await admin.postForm('/admin/clinic', { timeZone: 'Europe/Berlln' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('href="#field-timeZone"');
    expect(refused.text).toContain('Choose a time zone from the list.');
    // The rest of the page is there as it was: the privacy notice in its form, the switches.
    expect(refused.text).toContain('Before you start, please read what happens with your answers.');
    expect(refused.text).toContain('name="mfaRequired"');

    const saved = await admin.postForm('/admin/clinic', { timeZone: 'Pacific/Auckland' });
    expect(saved.status).toBe(303);
    expect(
      (await t.dataSource.getRepository(ClinicEntity).findOneByOrFail({ id: clinic.id })).timeZone,
    ).toBe('Pacific/Auckland');
    expect((await page(doc, '/')).text).toContain('Dates and times are shown in Pacific/Auckland');

    const audit = await page(admin, '/admin/audit');
    expect(audit.text).toContain('When (Pacific/Auckland)');
    const event = await t.dataSource
      .getRepository(AuditEventEntity)
      .findOneByOrFail({ action: 'clinic.settings' });
    const shown = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Pacific/Auckland',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(event.occurredAt);
    expect(audit.text).toContain(shown);
    expect(event.detail).toEqual({ timeZone: 'Pacific/Auckland' });

    // The day filters are the clinic's days: the event's day in Auckland finds it; the day
    // before does not (12 or 13 hours ahead of UTC, Auckland's day differs from UTC's near midnight).
    const day = new ClinicTime('Pacific/Auckland').day(event.occurredAt)!;
    const before = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const onDay = await page(admin, `/admin/audit?action=clinic.settings&from=${day}&to=${day}`);
    expect(onDay.text).toContain(shown);
    const dayBefore = await page(
      admin,
      `/admin/audit?action=clinic.settings&from=${before}&to=${before}`,
    );
    expect(dayBefore.text).not.toContain(
      `>${new ClinicTime('Pacific/Auckland').second(event.occurredAt)}<`,
    );
  });

  it('is for admins only', async () => {
    expect((await page(doc, '/admin/clinic')).status).toBe(403);
    expect((await doc.postForm('/admin/clinic', { timeZone: 'UTC' })).status).toBe(403);
  });
});
