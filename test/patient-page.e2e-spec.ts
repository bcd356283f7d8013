import { InvitationEntity } from '../src/invitations/invitation.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  csrfFrom,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';

describe("a patient's page: invitation links from the dashboard", () => {
  let t: TestApp;
  let clinician: Browser;
  let stranger: Browser;
  let patient: PatientEntity;
  let owner: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://intake.clinic.test' });
    const clinic = await createClinic(t.dataSource, 'Page Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@page.test' });
    owner = user;
    patient = await createPatient(t.dataSource, user, {
      givenName: 'Mara',
      familyName: 'Quill',
      reference: 'MQ-7',
    });
    clinician = await signIn(t.server, user);
    const other = await createClinic(t.dataSource, 'Other Clinic');
    stranger = await signIn(
      t.server,
      await createUser(t.dataSource, other, { email: 'x@other.test' }),
    );
  });
  afterAll(() => t.close());

  const page = (client: Browser, path: string) => client.agent.get(path).set('Accept', 'text/html');

  it('is linked from the patient list and shows the patient', async () => {
    const list = await page(clinician, '/');
    expect(list.text).toContain(`href="/patients/${patient.id}"`);
    const shown = await page(clinician, `/patients/${patient.id}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Quill, Mara');
    expect(shown.text).toContain('No invitations yet.');
    // PUBLIC_URL is an address a phone can reach: no warning.
    expect(shown.text).not.toContain('will not open on a patient');
  });

  it('warns when links point at this computer only, naming the variable to set', async () => {
    const local = await startTestApp(); // the default PUBLIC_URL: http://localhost:PORT
    try {
      const clinic = await createClinic(local.dataSource, 'Local Clinic');
      const user = await createUser(local.dataSource, clinic, { email: 'doc@local.test' });
      const someone = await createPatient(local.dataSource, user, { familyName: 'Local' });
      const client = await signIn(local.server, user);
      const shown = await page(client, `/patients/${someone.id}`);
      expect(shown.text).toContain("These links will not open on a patient's phone.");
      expect(shown.text).toContain('<code>PUBLIC_URL</code>');
    } finally {
      await local.close();
    }
  });

  const LINK = /value="(https:\/\/intake\.clinic\.test\/i\/[A-Za-z0-9_-]{43})"/;

  it('creates a link, redirects to the page that shows it, and only this browser sees it', async () => {
    const token = csrfFrom((await page(clinician, `/patients/${patient.id}`)).text);
    const made = await clinician.agent
      .post(`/patients/${patient.id}/invitations`)
      .type('form')
      .send({ _csrf: token, protocol: 'female_hormone_therapy' });
    expect(made.status).toBe(303);
    expect(made.headers.location).toBe(`/patients/${patient.id}#new-link-notice`);
    const shown = await page(clinician, `/patients/${patient.id}`);
    const link = LINK.exec(shown.text)?.[1];
    expect(link).toBeDefined();
    expect(shown.text).toContain('for ten minutes');
    expect(shown.text).toContain('Female hormone therapy');
    expect(shown.text).toContain('state--active');

    // A reload shows the same link again and makes nothing.
    const reloaded = await page(clinician, `/patients/${patient.id}`);
    expect(LINK.exec(reloaded.text)?.[1]).toBe(link);
    expect(
      await t.dataSource.getRepository(InvitationEntity).countBy({ patientId: patient.id }),
    ).toBe(1);

    // Another browser of the same clinician never sees it, nor does this one with the
    // cookie altered, or once signed out and in again.
    const elsewhere = await signIn(t.server, owner);
    expect((await page(elsewhere, `/patients/${patient.id}`)).text).not.toContain(link);
    // The same cookie in another session (signed out and in again at this browser).
    const cookie = /hp_new_link=([^;]+)/.exec(String(made.headers['set-cookie']))![1];
    const again = await signIn(t.server, owner);
    again.agent.jar.setCookie(`hp_new_link=${cookie}; Path=/`);
    expect((await page(again, `/patients/${patient.id}`)).text).not.toContain(link);
    // Signing out forgets it (src/web/link-flash.spec.ts: an altered cookie is not read).
    const signedOut = await clinician.postForm('/sign-out', {});
    expect(String(signedOut.headers['set-cookie'])).toMatch(/hp_new_link=;/);
    clinician = await signIn(t.server, owner);
  });

  it('asks before replacing an active link of the same protocol, and replaces it when told', async () => {
    const token = csrfFrom((await page(clinician, `/patients/${patient.id}`)).text);
    const asked = await clinician.agent
      .post(`/patients/${patient.id}/invitations`)
      .type('form')
      .send({ _csrf: token, protocol: 'female_hormone_therapy' });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(
      `/patients/${patient.id}?replace=female_hormone_therapy#replace-link`,
    );
    const question = await page(clinician, asked.headers.location);
    expect(question.text).toContain('Replace the active Female hormone therapy link?');
    const links = t.dataSource.getRepository(InvitationEntity);
    expect(await links.countBy({ patientId: patient.id })).toBe(1);

    const replaced = await clinician.agent
      .post(`/patients/${patient.id}/invitations`)
      .type('form')
      .send({ _csrf: token, protocol: 'female_hormone_therapy', replace: 'yes' });
    expect(replaced.status).toBe(303);
    const rows = await links.find({
      where: { patientId: patient.id },
      order: { createdAt: 'ASC' },
    });
    expect(rows.map((row) => row.revokedAt === null)).toEqual([false, true]);
  });

  it('names the field when no protocol is chosen', async () => {
    const token = csrfFrom((await page(clinician, `/patients/${patient.id}`)).text);
    const refused = await clinician.agent
      .post(`/patients/${patient.id}/invitations`)
      .type('form')
      .send({ _csrf: token, protocol: 'megadose' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('href="#field-protocol"');
  });

  it('revokes and re-issues from the page; refuses, on the page, to re-issue beside an active link', async () => {
    const links = await t.dataSource
      .getRepository(InvitationEntity)
      .find({ where: { patientId: patient.id }, order: { createdAt: 'ASC' } });
    const [replaced, invitation] = links; // the first was replaced by the second
    const shown = (await page(clinician, `/patients/${patient.id}`)).text;
    // Not offered beside the active link of its protocol; refused if sent all the same.
    expect(shown).not.toContain(`action="/invitations/${replaced.id}/reissue"`);
    expect(shown).toContain(`action="/invitations/${invitation.id}/reissue"`);
    const token = csrfFrom(shown);
    const beside = await clinician.agent
      .post(`/invitations/${replaced.id}/reissue`)
      .type('form')
      .send({ _csrf: token });
    expect(beside.status).toBe(409);
    expect(beside.text).toContain('That was not done');
    expect(beside.text).toContain('another active Female hormone therapy link: revoke it first');

    const revoked = await clinician.agent
      .post(`/invitations/${invitation.id}/revoke`)
      .type('form')
      .send({ _csrf: token });
    expect(revoked.status).toBe(303);
    expect((await page(clinician, `/patients/${patient.id}`)).text).toContain('state--revoked');

    const reissued = await clinician.agent
      .post(`/invitations/${invitation.id}/reissue`)
      .type('form')
      .send({ _csrf: token });
    expect(reissued.status).toBe(303);
    expect(LINK.test((await page(clinician, `/patients/${patient.id}`)).text)).toBe(true);

    // Revoking another link leaves the one on show; revoking that one takes it off the page.
    const revoke = (id: string) =>
      clinician.agent.post(`/invitations/${id}/revoke`).type('form').send({ _csrf: token });
    await revoke(replaced.id);
    expect(LINK.test((await page(clinician, `/patients/${patient.id}`)).text)).toBe(true);
    await revoke(invitation.id);
    expect(LINK.test((await page(clinician, `/patients/${patient.id}`)).text)).toBe(false);
  });

  it("answers 404 to another clinic's clinician for this patient and its invitations", async () => {
    const [invitation] = await t.dataSource
      .getRepository(InvitationEntity)
      .findBy({ patientId: patient.id });
    const token = await stranger.csrf();
    expect((await page(stranger, `/patients/${patient.id}`)).status).toBe(404);
    const attempts = [
      stranger.agent
        .post(`/patients/${patient.id}/invitations`)
        .type('form')
        .send({ _csrf: token, protocol: 'trt' }),
      stranger.agent
        .post(`/invitations/${invitation.id}/revoke`)
        .type('form')
        .send({ _csrf: token }),
      stranger.agent
        .post(`/invitations/${invitation.id}/reissue`)
        .type('form')
        .send({ _csrf: token }),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(404);
    expect(
      await t.dataSource.getRepository(InvitationEntity).countBy({ patientId: patient.id }),
    ).toBe(2);
  });
});
