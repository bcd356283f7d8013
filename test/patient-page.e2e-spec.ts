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
} from './support/test-app';

describe("a patient's page: invitation links from the dashboard", () => {
  let t: TestApp;
  let clinician: Browser;
  let stranger: Browser;
  let patient: PatientEntity;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://intake.clinic.test' });
    const clinic = await createClinic(t.dataSource, 'Page Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@page.test' });
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
  });

  it('creates a link shown once with its expiry, then lists the invitation without it', async () => {
    const token = csrfFrom((await page(clinician, `/patients/${patient.id}`)).text);
    const made = await clinician.agent
      .post(`/patients/${patient.id}/invitations`)
      .type('form')
      .send({ _csrf: token, protocol: 'female_hormone_therapy' });
    expect(made.status).toBe(200);
    const link = /value="(https:\/\/intake\.clinic\.test\/i\/[A-Za-z0-9_-]{43})"/.exec(
      made.text,
    )?.[1];
    expect(link).toBeDefined();
    expect(made.text).toContain('It is shown only once');
    expect(made.text).toContain('Female hormone therapy');

    const again = await page(clinician, `/patients/${patient.id}`);
    expect(again.text).not.toContain(link);
    expect(again.text).toContain('state--active');
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

  it('revokes and re-issues from the page', async () => {
    const [invitation] = await t.dataSource
      .getRepository(InvitationEntity)
      .findBy({ patientId: patient.id });
    const token = csrfFrom((await page(clinician, `/patients/${patient.id}`)).text);
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
    expect(reissued.status).toBe(200);
    expect(reissued.text).toMatch(/value="https:\/\/intake\.clinic\.test\/i\/[A-Za-z0-9_-]{43}"/);
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
    ).toBe(1);
  });
});
