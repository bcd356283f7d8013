import { createHash } from 'node:crypto';
import request from 'supertest';
import { AuditEventEntity } from '../src/audit/audit-event.entity';
import { SessionRepository } from '../src/auth/session.repository';
import { IntakeEntity } from '../src/intakes/intake.entity';
import { InvitationEntity } from '../src/invitations/invitation.entity';
import { PatientEntity } from '../src/patients/patient.entity';
import {
  Browser,
  browser,
  createClinic,
  createPatient,
  createUser,
  csrfFrom,
  signIn,
  startTestApp,
  TestApp,
  TestUser,
} from './support/test-app';
import { agreeIfAsked, openLink } from './support/patient-link';
import { loadContent } from '../src/content/content';
import { AssessmentEntity } from '../src/assessments/assessment.entity';

interface Link {
  id: string;
  link: string;
  expiresAt: string;
  state: string;
}

describe('patient intake through invitation links (HTTP)', () => {
  let t: TestApp;
  let clinician: Browser;
  let patient: PatientEntity;
  let owner: TestUser;

  const invite = async (protocol = 'trt', forPatient = patient): Promise<Link> => {
    const response = await clinician.agent
      .post(`/api/patients/${forPatient.id}/invitations`)
      .set('X-CSRF-Token', await clinician.csrf())
      .send({ protocol, replace: true });
    expect(response.status).toBe(201);
    return response.body as Link;
  };

  /** A new browser that opens the link, as a patient would, and agrees to the notice when asked. */
  const openAsPatient = async (link: string) => {
    const client = browser(t.server);
    const opened = await client.agent.get(new URL(link).pathname).set('Accept', 'text/html');
    if (opened.status === 303) await agreeIfAsked(client);
    return { client, opened };
  };

  const stepToken = async (client: Browser, step = 'context') =>
    csrfFrom((await client.agent.get(`/intake/${step}`).set('Accept', 'text/html')).text);

  const postStep = async (
    client: Browser,
    step: string,
    fields: Record<string, string | string[]>,
  ) => {
    const token = await stepToken(client, step);
    return client.agent
      .post(`/intake/${step}`)
      .type('form')
      .send({ _csrf: token, action: 'next', ...fields });
  };

  const intakeOf = (invitationId: string) =>
    t.dataSource.getRepository(IntakeEntity).findOneByOrFail({ invitationId });

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://intake.clinic.test' });
    const clinic = await createClinic(t.dataSource, 'Intake Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@intake.test' });
    owner = user;
    patient = await createPatient(t.dataSource, user, { givenName: 'Pat', familyName: 'Ient' });
    clinician = await signIn(t.server, user);
  });
  afterAll(() => t.close());

  it('makes a link with an unguessable token that is stored only as a hash, expiring in 14 days', async () => {
    const made = await invite();
    const token = made.link.replace('https://intake.clinic.test/i/', '');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes: 256 bits
    const days = (Date.parse(made.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);

    const row = await t.dataSource.getRepository(InvitationEntity).findOneByOrFail({ id: made.id });
    expect(row.tokenHash.equals(createHash('sha256').update(token).digest())).toBe(true);
    const everything = JSON.stringify(await t.dataSource.query('SELECT * FROM invitations'));
    expect(everything).not.toContain(token);
  });

  it('trades the token for an HttpOnly cookie and leaves the URL that carries it', async () => {
    const made = await invite();
    const { opened } = await openAsPatient(made.link);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/intake');
    expect(opened.headers['referrer-policy']).toBe('no-referrer');
    const cookie = (opened.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('hp_intake='),
    );
    expect(cookie).toMatch(/HttpOnly/);
    const row = await t.dataSource.getRepository(InvitationEntity).findOneByOrFail({ id: made.id });
    expect(row.firstUsedAt).not.toBeNull();
    expect((await intakeOf(made.id)).status).toBe('in_progress');
  });

  it.each([
    [
      'an unknown link',
      404,
      'This link does not work',
      () => Promise.resolve('https://x/i/' + 'A'.repeat(43)),
    ],
    [
      'an expired link',
      410,
      'Please contact your clinic and ask for a new link',
      async () => {
        const made = await invite();
        await t.dataSource.query(
          `UPDATE invitations SET expires_at = now() - interval '1 minute', created_at = now() - interval '15 days' WHERE id = $1`,
          [made.id],
        );
        return made.link;
      },
    ],
    [
      'a revoked link',
      410,
      'Your clinic has withdrawn this link',
      async () => {
        const made = await invite();
        const revoked = await clinician.agent
          .post(`/api/invitations/${made.id}/revoke`)
          .set('X-CSRF-Token', await clinician.csrf());
        expect(revoked.body.state).toBe('revoked');
        return made.link;
      },
    ],
  ])('answers %s with %i and says what to do', async (_case, status, text, linkOf) => {
    const { opened } = await openAsPatient(await linkOf());
    expect(opened.status).toBe(status);
    expect(opened.text).toContain(text);
    expect(opened.headers['set-cookie']?.toString() ?? '').not.toContain('hp_intake=');
  });

  it('saves every answer that reads, names the question of each that does not, and shows back what was typed', async () => {
    const made = await invite();
    const { client } = await openAsPatient(made.link);
    const refused = await postStep(client, 'diet', {
      oilyFishServingsPerWeek: '30',
      healthyFats: 'most_days',
      hoursOfTv: '4',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('href="#field-oilyFishServingsPerWeek"');
    // The summary names the question; the field's own message says what to enter.
    expect(refused.text).toContain(
      'How many servings of oily fish (salmon, sardines, mackerel) do you eat in a week? — enter a number from 0 to 21 (servings a week).',
    );
    expect(refused.text).toContain('Enter a number from 0 to 21 (servings a week).');
    expect(refused.text).toContain('hoursOfTv is not a question of this step.');
    expect(refused.text).toContain('value="30"'); // what was typed is still there
    expect(refused.text).toMatch(/value="most_days" checked/);
    // The answer that reads is saved; the one that does not stays on the page, not stored.
    expect((await intakeOf(made.id)).answers).toEqual({ healthyFats: 'most_days' });
  });

  it('refuses an oversized post with 413, never a 5xx', async () => {
    const made = await invite();
    const { client } = await openAsPatient(made.link);
    const token = await stepToken(client);
    const huge = await client.agent
      .post('/intake/context')
      .type('form')
      .send({ _csrf: token, sex: 'x'.repeat(80_000) });
    expect(huge.status).toBe(413);
  });

  it('resumes in another browser with the same link, and keeps blanks blank', async () => {
    const made = await invite();
    const first = await openAsPatient(made.link);
    expect(
      (await postStep(first.client, 'context', { sex: 'female', ageBand: '40-49' })).status,
    ).toBe(303);
    expect(
      (await postStep(first.client, 'sleep', { hoursAsleep: '6.5', loudSnoring: '' })).status,
    ).toBe(303);

    const second = await openAsPatient(made.link);
    const sleepPage = await second.client.agent.get('/intake/sleep').set('Accept', 'text/html');
    expect(sleepPage.text).toContain('value="6.5"');
    expect(sleepPage.text).not.toMatch(/name="loudSnoring" value="no" checked/);
    expect((await intakeOf(made.id)).answers).toEqual({
      sex: 'female',
      ageBand: '40-49',
      hoursAsleep: 6.5,
    });
  });

  it('re-issues a link: the old one and its sessions stop working, the answers stay', async () => {
    const made = await invite();
    const old = await openAsPatient(made.link);
    await postStep(old.client, 'context', { sex: 'male', ageBand: '50-59' });

    const reissued = await clinician.agent
      .post(`/api/invitations/${made.id}/reissue`)
      .set('X-CSRF-Token', await clinician.csrf());
    expect(reissued.status).toBe(201);
    expect(reissued.body.link).not.toBe(made.link);

    expect((await old.client.agent.get('/intake/context').set('Accept', 'text/html')).status).toBe(
      401,
    );
    expect((await openAsPatient(made.link)).opened.status).toBe(404);
    const fresh = await openAsPatient(reissued.body.link as string);
    const page = await fresh.client.agent.get('/intake/context').set('Accept', 'text/html');
    expect(page.text).toMatch(/value="50-59" checked/);
  });

  describe('one active link per protocol', () => {
    let someone: PatientEntity;
    const linkRows = () =>
      t.dataSource.getRepository(InvitationEntity).find({
        where: { patientId: someone.id },
        order: { createdAt: 'ASC' },
      });
    const create = async (protocol: string, extra: Record<string, unknown> = {}) =>
      clinician.agent
        .post(`/api/patients/${someone.id}/invitations`)
        .set('X-CSRF-Token', await clinician.csrf())
        .send({ protocol, ...extra });
    const reissue = async (id: string) =>
      clinician.agent
        .post(`/api/invitations/${id}/reissue`)
        .set('X-CSRF-Token', await clinician.csrf());

    beforeEach(async () => {
      someone = await createPatient(t.dataSource, owner, { familyName: `Links${Date.now()}` });
    });

    it('refuses a second active link of a protocol unless told to replace it', async () => {
      expect((await create('trt')).status).toBe(201);
      const refused = await create('trt');
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('replace: true');
      expect((await create('trt', { replace: true })).status).toBe(201);
      expect((await linkRows()).map((row) => row.revokedAt === null)).toEqual([false, true]);
    });

    it('retires an expired link of the protocol, so a half-filled intake behind it does not stay "in progress"', async () => {
      const first = await invite('trt', someone);
      const { client } = await openAsPatient(first.link);
      await postStep(client, 'context', { sex: 'male', ageBand: '40-49' });
      await t.dataSource.query(
        `UPDATE invitations SET created_at = now() - interval '20 days',
           expires_at = now() - interval '6 days' WHERE id = $1`,
        [first.id],
      );
      expect((await create('trt')).status).toBe(201); // nothing active: nothing to ask
      const [old] = await linkRows();
      expect(old.revokedAt).not.toBeNull();
      const summary = await t.dataSource
        .getRepository(PatientEntity)
        .findOneByOrFail({ id: someone.id });
      expect(summary.intakeStatus).toBe('invited');
    });

    it('refuses to re-issue a link while another of its protocol is active, or once its intake was sent', async () => {
      const first = await invite('trt', someone);
      await invite('trt', someone); // replaces the first
      expect((await reissue(first.id)).status).toBe(409);
      expect((await linkRows())[0].revokedAt).not.toBeNull(); // unchanged

      const sent = await invite('post_trt_recovery', someone);
      const session = await openLink(t.server, sent);
      await session.client.agent
        .put('/api/intake/answers')
        .set('X-CSRF-Token', session.token)
        .send({ context: { sex: 'male', ageBand: '40-49' } });
      const submitted = await session.client.agent
        .post('/api/intake/submit')
        .set('X-CSRF-Token', session.token);
      expect(submitted.status).toBe(201);
      const refused = await reissue(sent.id);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('has been sent');
    });
  });

  it('reads a refused answer as it was saved before: its follow-ups are kept or closed accordingly', async () => {
    const made = await invite();
    const { client } = await openAsPatient(made.link);
    await postStep(client, 'exercise', { walkingDays: '3', walkingMinutesPerDay: '30' });
    // A bad day count: the saved 3 stands, so its follow-up is still asked, and saved.
    const bad = await postStep(client, 'exercise', {
      walkingDays: 'x',
      walkingMinutesPerDay: '45',
    });
    expect(bad.status).toBe(400);
    expect((await intakeOf(made.id)).answers).toEqual({ walkingDays: 3, walkingMinutesPerDay: 45 });
    // The days cleared and the minutes refused: the minutes no longer apply, and go.
    await postStep(client, 'exercise', { walkingDays: '', walkingMinutesPerDay: 'abc' });
    expect((await intakeOf(made.id)).answers).toEqual({});
  });

  it('autosaves a step and answers JSON with progress', async () => {
    const made = await invite();
    const { client } = await openAsPatient(made.link);
    const token = await stepToken(client, 'stress');
    const saved = await client.agent
      .post('/intake/stress/autosave')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: token, pss1: '2', stressPractices: ['nature', 'meditation'] });
    expect(saved.status).toBe(200);
    expect(saved.body.saved).toBe(true);
    expect(saved.body.problems).toEqual([]);
    expect(saved.body.progress.answered).toBe(2);
    expect((await intakeOf(made.id)).answers).toEqual({
      pss1: 2,
      stressPractices: ['meditation', 'nature'],
    });
  });

  describe('submitting', () => {
    let made: Link;
    let client: Browser;
    /** A token from before submitting: the pages after it have no forms. */
    let tokenBeforeSubmit: string;

    beforeAll(async () => {
      made = await invite('female_hormone_therapy');
      client = (await openAsPatient(made.link)).client;
    });

    it('refuses while a required question is unanswered, on the review page', async () => {
      const review = await client.agent.get('/intake/review').set('Accept', 'text/html');
      expect(review.text).toContain('Not answered (required)');
      const refused = await client.agent
        .post('/intake/submit')
        .type('form')
        .send({ _csrf: csrfFrom(review.text) });
      expect(refused.status).toBe(400);
      // Each required question is named, and linked to the step that asks it.
      expect(refused.text).toMatch(
        /href="\/intake\/context#field-\w+">[^<]+ — answer this question before sending\./,
      );
      expect((await intakeOf(made.id)).status).toBe('in_progress');
    });

    it('submits once even when sent twice at the same moment, freezing answers and scores', async () => {
      await postStep(client, 'context', { sex: 'female', ageBand: '30-39' });
      await postStep(client, 'diet', {
        auditFrequency: '3',
        auditTypicalDrinks: '1',
        auditSixOrMore: '0',
      });
      const pss = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`pss${i + 1}`, '2']));
      await postStep(client, 'stress', pss);

      const token = csrfFrom(
        (await client.agent.get('/intake/review').set('Accept', 'text/html')).text,
      );
      tokenBeforeSubmit = token;
      const [a, b] = await Promise.all([
        client.agent.post('/intake/submit').type('form').send({ _csrf: token }),
        client.agent.post('/intake/submit').type('form').send({ _csrf: token }),
      ]);
      expect([a.status, b.status]).toEqual([303, 303]);
      expect(a.headers.location).toBe('/intake/thank-you');

      const intake = await intakeOf(made.id);
      expect(intake.status).toBe('submitted');
      expect(intake.questionnaireVersion).toBe(loadContent().questionnaire.version);
      expect(intake.scores).toMatchObject({
        pss10: { status: 'scored', total: 20, band: 'moderate' },
        auditC: {
          status: 'scored',
          total: 4,
          positive: true,
          threshold: 3,
          thresholdBasis: 'female',
        },
        sleepSchedule: { status: 'incomplete' },
      });
      const submits = await t.dataSource
        .getRepository(AuditEventEntity)
        .countBy({ action: 'intake.submit', targetId: intake.id });
      expect(submits).toBe(1);
    });

    it('then shows a thank-you page, and the link can no longer change answers', async () => {
      const again = await openAsPatient(made.link);
      const landing = await again.client.agent.get('/intake').set('Accept', 'text/html');
      expect(landing.headers.location).toBe('/intake/thank-you');
      const thanks = await again.client.agent.get('/intake/thank-you').set('Accept', 'text/html');
      expect(thanks.text).toContain('Your answers have been sent to your clinic');

      const change = await client.agent
        .post('/intake/context/autosave')
        .set('Accept', 'application/json')
        .type('form')
        .send({ _csrf: tokenBeforeSubmit, sex: 'male', ageBand: '30-39' });
      expect(change.status).toBe(409);
      expect((await intakeOf(made.id)).answers).toMatchObject({ sex: 'female' });
    });
  });

  it("keeps clinics apart: another clinic's clinician cannot invite, list or revoke here", async () => {
    const other = await createClinic(t.dataSource, 'Other Clinic');
    const stranger = await signIn(
      t.server,
      await createUser(t.dataSource, other, { email: 'x@other.test' }),
    );
    const made = await invite();
    const token = await stranger.csrf();
    const attempts = [
      stranger.agent
        .post(`/api/patients/${patient.id}/invitations`)
        .set('X-CSRF-Token', token)
        .send({ protocol: 'trt' }),
      stranger.agent.get(`/api/patients/${patient.id}/invitations`),
      stranger.agent.post(`/api/invitations/${made.id}/revoke`).set('X-CSRF-Token', token),
      stranger.agent.post(`/api/invitations/${made.id}/reissue`).set('X-CSRF-Token', token),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(404);
    const row = await t.dataSource.getRepository(InvitationEntity).findOneByOrFail({ id: made.id });
    expect(row.revokedAt).toBeNull();
  });

  it('sends a patient without a session back to their link, not to the clinician sign-in', async () => {
    const page = await request(t.server).get('/intake/context').set('Accept', 'text/html');
    expect(page.status).toBe(401);
    expect(page.text).toContain('Open the link from your clinic again');
  });

  describe('JSON API (the same questions and checks)', () => {
    let client: Browser;
    let made: Link;
    let token: string;

    beforeAll(async () => {
      made = await invite('post_trt_recovery');
      client = (await openAsPatient(made.link)).client;
      token = await stepToken(client);
    });

    const put = (body: unknown) =>
      client.agent
        .put('/api/intake/answers')
        .set('X-CSRF-Token', token)
        .send(body as object);

    it('saves nested sections and reads them back by section', async () => {
      const saved = await put({
        context: { sex: 'male', ageBand: '40-49', goals: ['fertility'] },
        sleep: { hoursAsleep: 6, loudSnoring: 'yes', observedPauses: null },
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ answered: 5 });
      const read = await client.agent.get('/api/intake');
      expect(read.body).toMatchObject({
        questionnaireVersion: loadContent().questionnaire.version,
        protocol: 'post_trt_recovery',
        status: 'in_progress',
        answers: {
          context: { sex: 'male', ageBand: '40-49', goals: ['fertility'] },
          sleep: { hoursAsleep: 6, loudSnoring: 'yes' },
        },
      });
      expect(read.body.answers.sleep).not.toHaveProperty('observedPauses');
    });

    it('validates every nested field for real, naming it by its path, and saves nothing', async () => {
      const refused = await put({
        context: { sex: 'male', ageBand: '40-49' },
        diet: { oilyFishServingsPerWeek: '2', auditFrequency: 9, hoursOfTv: 3 },
        hobbies: { chess: true },
      });
      expect(refused.status).toBe(400);
      const fields = refused.body.fields.map((f: { field: string }) => f.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'diet.oilyFishServingsPerWeek',
          'diet.auditFrequency',
          'diet.hoursOfTv',
          'hobbies',
        ]),
      );
      expect(refused.body.fields).toContainEqual({
        field: 'diet.oilyFishServingsPerWeek',
        message: 'Enter a number.',
      });
      expect((await intakeOf(made.id)).answers).not.toHaveProperty('auditFrequency');
    });

    it('refuses a section that would leave a required question blank', async () => {
      const refused = await put({ context: { ageBand: '40-49' } });
      expect(refused.status).toBe(400);
      expect(refused.body.fields).toContainEqual({
        field: 'context.sex',
        message: 'Answer this question to continue.',
      });
    });

    it('reads the patient session once per request', async () => {
      const lookups = jest.spyOn(t.app.get(SessionRepository), 'findPatientSession');
      try {
        expect((await client.agent.get('/api/intake')).status).toBe(200);
        expect((await put({ context: { sex: 'male', ageBand: '40-49' } })).status).toBe(200);
        expect((await client.agent.get('/intake/context')).status).toBe(200);
        expect(lookups).toHaveBeenCalledTimes(3);
      } finally {
        lookups.mockRestore();
      }
    });

    it('needs the CSRF header and the patient session', async () => {
      const noToken = await client.agent
        .put('/api/intake/answers')
        .send({ context: { sex: 'male', ageBand: '40-49' } });
      expect(noToken.status).toBe(403);
      const noSession = await request(t.server).get('/api/intake');
      expect(noSession.status).toBe(401);
      expect(noSession.body.code).toBe('link_required');
    });

    it('submits idempotently', async () => {
      const first = await client.agent.post('/api/intake/submit').set('X-CSRF-Token', token);
      const second = await client.agent.post('/api/intake/submit').set('X-CSRF-Token', token);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ status: 'submitted', repeated: false });
      expect(second.body).toMatchObject({
        status: 'submitted',
        repeated: true,
        submittedAt: first.body.submittedAt,
      });
      expect((await put({ context: { sex: 'female', ageBand: '40-49' } })).status).toBe(409);
    });

    it('is described in the OpenAPI document, question by question', async () => {
      const doc = (await request(t.server).get('/api/openapi.json')).body;
      expect(
        doc.paths['/api/intake/answers'].put.requestBody.content['application/json'].schema.$ref,
      ).toBe('#/components/schemas/IntakeAnswersDto');
      const diet = doc.components.schemas.DietAnswersDto.properties;
      expect(diet.oilyFishServingsPerWeek).toMatchObject({
        type: 'number',
        minimum: 0,
        maximum: 21,
      });
      expect(diet.auditFrequency.enum).toEqual([0, 1, 2, 3, 4]);
      expect(
        doc.components.schemas.SleepAnswersDto.properties.weekdayBedtime.pattern,
      ).toBeDefined();
    });
  });

  describe('an intake begun before the questionnaire changed', () => {
    it('keeps its version: the old questions on the form, the old version on the assessment', async () => {
      const made = await invite('trt');
      const { client } = await openAsPatient(made.link);
      // Begun on 2026-11.1 (which asks no height, weight or shift work), before 2026-12.1 shipped.
      await t.dataSource.query(
        `UPDATE intakes SET questionnaire_version = '2026-11.1' WHERE invitation_id = $1`,
        [made.id],
      );
      const context = await client.agent.get('/intake/context').set('Accept', 'text/html');
      expect(context.text).toContain('name="sex"');
      expect(context.text).not.toContain('name="heightCm"');
      expect(context.text).not.toContain('name="shiftWork"');
      await postStep(client, 'context', { sex: 'male', ageBand: '50-59' });
      await postStep(client, 'sleep', { hoursAsleep: '5.5' });
      const token = csrfFrom(
        (await client.agent.get('/intake/review').set('Accept', 'text/html')).text,
      );
      const sent = await client.agent.post('/intake/submit').type('form').send({ _csrf: token });
      expect(sent.status).toBe(303);

      const intake = await intakeOf(made.id);
      expect(intake).toMatchObject({ status: 'submitted', questionnaireVersion: '2026-11.1' });
      expect(intake.answers).toEqual({ sex: 'male', ageBand: '50-59', hoursAsleep: 5.5 });
      const assessment = await t.dataSource
        .getRepository(AssessmentEntity)
        .findOneByOrFail({ intakeId: intake.id });
      const results = assessment.results as {
        questionnaireVersion: string;
        points: { ruleId: string }[];
      };
      expect(results.questionnaireVersion).toBe('2026-11.1');
      expect(results.points.map((p) => p.ruleId)).toContain('sleep.short.severe.trt');

      // A new intake starts on the current version, which asks the new questions.
      const fresh = await invite('female_hormone_therapy');
      const opened = await openAsPatient(fresh.link);
      const page = await opened.client.agent.get('/intake/context').set('Accept', 'text/html');
      expect(page.text).toContain('name="heightCm"');
      expect((await intakeOf(fresh.id)).questionnaireVersion).toBe('2026-12.1');
    });
  });
});
