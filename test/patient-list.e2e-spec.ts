import { DataSource } from 'typeorm';
import { PatientEntity } from '../src/patients/patient.entity';
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

/** Rows written straight into PostgreSQL: the summary is kept by its triggers, whoever writes. */
class Rows {
  constructor(
    private readonly db: DataSource,
    private readonly owner: TestUser,
  ) {}

  async invite(patient: PatientEntity, protocol = 'trt', createdAt = new Date()): Promise<string> {
    const [row] = await this.db.query<{ id: string }[]>(
      `INSERT INTO invitations (clinic_id, patient_id, protocol, token_hash, expires_at, created_by, created_at)
       VALUES ($1, $2, $3, decode(md5(random()::text) || md5(random()::text), 'hex'), $4::timestamptz + interval '14 days', $5, $4)
       RETURNING id`,
      [patient.clinicId, patient.id, protocol, createdAt, this.owner.user.id],
    );
    return row.id;
  }

  async start(patient: PatientEntity, invitationId: string): Promise<string> {
    const [row] = await this.db.query<{ id: string }[]>(
      `INSERT INTO intakes (clinic_id, patient_id, invitation_id, protocol, questionnaire_version)
       SELECT clinic_id, patient_id, id, protocol, '2026-11.1' FROM invitations WHERE id = $1
       RETURNING id`,
      [invitationId],
    );
    void patient;
    return row.id;
  }

  async submit(intakeId: string, flagged: string[]): Promise<void> {
    await this.db.query(
      `UPDATE intakes SET status = 'submitted', scores = '{}', submitted_at = now() WHERE id = $1`,
      [intakeId],
    );
    await this.db.query(
      `INSERT INTO assessments (clinic_id, intake_id, ruleset_version, results, flagged_pillars)
       SELECT clinic_id, id, '2026-11.1', '{}', $2 FROM intakes WHERE id = $1`,
      [intakeId, flagged],
    );
  }

  async review(intakeId: string): Promise<void> {
    await this.db.query(
      `UPDATE intakes SET status = 'reviewed', reviewed_at = now(), reviewed_by = $2 WHERE id = $1`,
      [intakeId, this.owner.user.id],
    );
  }

  async revoke(invitationId: string): Promise<void> {
    await this.db.query(`UPDATE invitations SET revoked_at = now() WHERE id = $1`, [invitationId]);
  }

  async summary(patient: PatientEntity) {
    return this.db
      .getRepository(PatientEntity)
      .findOneByOrFail({ id: patient.id })
      .then(({ protocol, intakeStatus, flaggedPillars }) => ({
        protocol,
        intakeStatus,
        flaggedPillars,
      }));
  }
}

describe('patient list: summary, filters, sorting and keyset paging', () => {
  let t: TestApp;
  let clinician: Browser;
  let rows: Rows;
  const patients: Record<string, PatientEntity> = {};

  const list = async (query: Record<string, string | number>) => {
    const response = await clinician.agent.get('/api/patients').query(query);
    if (response.status !== 200) throw new Error(`list ${response.status}: ${response.text}`);
    return response.body as {
      patients: { id: string; familyName: string; intakeStatus: string }[];
      next: string | null;
    };
  };
  const names = async (query: Record<string, string | number>) =>
    (await list(query)).patients.map((p) => p.familyName);

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'List Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@list.test' });
    rows = new Rows(t.dataSource, user);
    for (const family of ['Adams', 'baker', 'Clark', 'Davis', 'Evans', 'Foster'])
      patients[family] = await createPatient(t.dataSource, user, {
        givenName: 'Pat',
        familyName: family,
      });

    // Adams: never invited. Baker: invited. Clark: started. Davis: submitted, sleep and diet warnings.
    // Evans: reviewed, then invited again for a follow-up. Foster: invited, then the link revoked.
    await rows.invite(patients.baker, 'female_hormone_therapy');
    await rows.start(patients.Clark, await rows.invite(patients.Clark));
    const davis = await rows.start(
      patients.Davis,
      await rows.invite(patients.Davis, 'gh_peptide_therapy'),
    );
    await rows.submit(davis, ['diet', 'sleep']);
    const evans = await rows.start(patients.Evans, await rows.invite(patients.Evans));
    await rows.submit(evans, ['stress']);
    await rows.review(evans);
    // A second later than the review (PostgreSQL's clock has microseconds, JavaScript's not).
    await rows.invite(patients.Evans, 'post_trt_recovery', new Date(Date.now() + 1_000));
    await rows.revoke(await rows.invite(patients.Foster));

    // Another clinic's patient that matches every filter.
    const other = await createClinic(t.dataSource, 'Other Clinic');
    const otherUser = await createUser(t.dataSource, other, { email: 'doc@other.test' });
    const otherRows = new Rows(t.dataSource, otherUser);
    patients.Intruder = await createPatient(t.dataSource, otherUser, { familyName: 'Intruder' });
    const foreign = await otherRows.start(
      patients.Intruder,
      await otherRows.invite(patients.Intruder),
    );
    await otherRows.submit(foreign, ['diet', 'sleep', 'stress', 'exercise']);

    clinician = await signIn(t.server, user);
  });
  afterAll(() => t.close());

  it('keeps each patient’s latest state in the patient row, from whatever wrote the rows', async () => {
    expect(await rows.summary(patients.Adams)).toEqual({
      protocol: null,
      intakeStatus: 'none',
      flaggedPillars: [],
    });
    expect(await rows.summary(patients.baker)).toMatchObject({
      protocol: 'female_hormone_therapy',
      intakeStatus: 'invited',
    });
    expect(await rows.summary(patients.Clark)).toMatchObject({ intakeStatus: 'in_progress' });
    expect(await rows.summary(patients.Davis)).toEqual({
      protocol: 'gh_peptide_therapy',
      intakeStatus: 'submitted',
      flaggedPillars: ['diet', 'sleep'],
    });
    // The follow-up invitation is the newest state; the reviewed intake's warnings stay.
    expect(await rows.summary(patients.Evans)).toEqual({
      protocol: 'post_trt_recovery',
      intakeStatus: 'invited',
      flaggedPillars: ['stress'],
    });
    expect(await rows.summary(patients.Foster)).toMatchObject({
      protocol: null,
      intakeStatus: 'none',
    });
  });

  it('filters by status, protocol, pillar with warnings and name, only within the clinic', async () => {
    expect(await names({ status: 'submitted' })).toEqual(['Davis']);
    expect(await names({ status: 'invited' })).toEqual(['baker', 'Evans']);
    expect(await names({ status: 'none' })).toEqual(['Adams', 'Foster']);
    expect(await names({ protocol: 'trt' })).toEqual(['Clark']);
    expect(await names({ pillar: 'sleep' })).toEqual(['Davis']);
    expect(await names({ pillar: 'stress' })).toEqual(['Evans']);
    expect(await names({ pillar: 'exercise' })).toEqual([]);
    expect(await names({ q: 'AVI' })).toEqual(['Davis']);
    expect(await names({ q: 'intruder' })).toEqual([]);
    expect(await names({ status: 'invited', pillar: 'stress' })).toEqual(['Evans']);
  });

  const walk = async (sort: string): Promise<{ seen: string[]; pages: number }> => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await list({ sort, limit: 2, ...(after ? { after } : {}) });
      seen.push(...page.patients.map((p) => p.familyName));
      after = page.next;
      pages++;
    } while (after && pages < 10);
    return { seen, pages };
  };

  it('pages through every patient exactly once, by name', async () => {
    expect(await walk('name')).toEqual({
      seen: ['Adams', 'baker', 'Clark', 'Davis', 'Evans', 'Foster'],
      pages: 3,
    });
  });

  it('pages through every patient exactly once, latest activity first', async () => {
    const { seen, pages } = await walk('activity');
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual(['Adams', 'Clark', 'Davis', 'Evans', 'Foster', 'baker']);
    // Evans's follow-up invitation is the newest event.
    expect(seen[0]).toBe('Evans');
  });

  it('refuses a bad filter or a page link from another clinic, naming the field', async () => {
    const badStatus = await clinician.agent.get('/api/patients').query({ status: 'lost' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.fields).toEqual([
      expect.objectContaining({ field: 'status', message: expect.stringContaining('submitted') }),
    ]);
    const foreignCursor = await clinician.agent
      .get('/api/patients')
      .query({ after: patients.Intruder.id });
    expect(foreignCursor.status).toBe(400);
    expect(foreignCursor.body.fields).toEqual([expect.objectContaining({ field: 'after' })]);
  });

  it('shows the filters on the page, keeps the choices, and links the next page with the filters', async () => {
    const page = await clinician.agent
      .get('/')
      .query({ status: 'invited', sort: 'name', limit: 1 })
      .set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<option value="invited" selected>Invited</option>');
    expect(page.text).toContain('baker, Pat');
    expect(page.text).not.toContain('Evans, Pat');
    const next = /href="(\/\?[^"]+)" class="button button--secondary" rel="next"/.exec(page.text);
    // As the browser reads the attribute: Handlebars escapes = and & in it.
    const href = next?.[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(href).toBe(`/?status=invited&after=${patients.baker.id}`);
    const second = await clinician.agent.get(href!).set('Accept', 'text/html');
    expect(second.text).toContain('Evans, Pat');
    expect(second.text).not.toContain('baker, Pat');
  });

  it('adds a patient from the list page; a refused form names the field and keeps what was typed', async () => {
    const refused = await clinician.postForm('/patients', {
      givenName: 'Quinn',
      familyName: '',
      reference: 'Q-1',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('href="#field-familyName"');
    expect(refused.text).toContain('value="Quinn"');
    expect(refused.text).toContain('value="Q-1"');
    expect(await t.dataSource.getRepository(PatientEntity).countBy({ givenName: 'Quinn' })).toBe(0);

    const added = await clinician.postForm('/patients', {
      givenName: 'Quinn',
      familyName: 'Quarry',
      reference: 'Q-1',
    });
    expect(added.status).toBe(303);
    const created = await t.dataSource
      .getRepository(PatientEntity)
      .findOneByOrFail({ givenName: 'Quinn' });
    expect(added.headers.location).toBe(`/patients/${created.id}`);

    const duplicate = await clinician.postForm('/patients', {
      givenName: 'Other',
      familyName: 'Person',
      reference: 'Q-1',
    });
    expect(duplicate.status).toBe(409); // the reference is in use: a conflict, named at its field
    expect(duplicate.text).toContain('href="#field-reference"');
    expect(duplicate.text).toContain('value="Other"');
  });
});

describe('patient list: the status comes from all of a patient’s links and intakes', () => {
  let t: TestApp;
  let rows: Rows;
  let clinician: Browser;
  let owner: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Two Links Clinic');
    owner = await createUser(t.dataSource, clinic, { email: 'doc@two-links.test' });
    rows = new Rows(t.dataSource, owner);
    clinician = await signIn(t.server, owner);
  });
  afterAll(() => t.close());

  const patient = (familyName: string) => createPatient(t.dataSource, owner, { familyName });
  const statusInList = async (who: PatientEntity, status: string) => {
    const response = await clinician.agent.get('/api/patients').query({ status });
    return (response.body as { patients: { id: string }[] }).patients.some((p) => p.id === who.id);
  };

  it('keeps a submitted intake "to review" when a newer link exists, until it is reviewed', async () => {
    const gray = await patient('Gray');
    const older = await rows.invite(gray, 'trt', new Date(Date.now() - 60_000));
    await rows.invite(gray, 'trt');
    const intake = await rows.start(gray, older);
    await rows.submit(intake, ['sleep']);
    expect(await rows.summary(gray)).toEqual({
      protocol: 'trt',
      intakeStatus: 'submitted',
      flaggedPillars: ['sleep'],
    });
    expect(await statusInList(gray, 'submitted')).toBe(true);
    expect(await statusInList(gray, 'invited')).toBe(false);

    // A third link, made after the submission, does not hide it either.
    await rows.invite(gray, 'female_hormone_therapy');
    expect(await rows.summary(gray)).toMatchObject({ protocol: 'trt', intakeStatus: 'submitted' });

    // Once reviewed it is reviewed: links made before the review do not undo it...
    await rows.review(intake);
    expect(await rows.summary(gray)).toMatchObject({ protocol: 'trt', intakeStatus: 'reviewed' });
    expect(await statusInList(gray, 'reviewed')).toBe(true);

    // ...while a link made after it is the next thing pending (a follow-up).
    await rows.invite(gray, 'post_trt_recovery', new Date(Date.now() + 1_000));
    expect(await rows.summary(gray)).toMatchObject({
      protocol: 'post_trt_recovery',
      intakeStatus: 'invited',
    });
  });

  it('keeps a submitted intake to review when its link is revoked, and shows reviewed after', async () => {
    const hill = await patient('Hill');
    const link = await rows.invite(hill, 'post_trt_recovery');
    const intake = await rows.start(hill, link);
    await rows.submit(intake, []);
    await rows.revoke(link);
    expect(await rows.summary(hill)).toMatchObject({ intakeStatus: 'submitted' });
    await rows.review(intake);
    expect(await rows.summary(hill)).toMatchObject({
      protocol: 'post_trt_recovery',
      intakeStatus: 'reviewed',
    });
    expect(await statusInList(hill, 'reviewed')).toBe(true);
  });

  it('shows a half-filled intake as in progress when a newer link is created beside it', async () => {
    const irwin = await patient('Irwin');
    const first = await rows.invite(irwin, 'trt', new Date(Date.now() - 60_000));
    await rows.start(irwin, first);
    await rows.invite(irwin, 'trt');
    expect(await rows.summary(irwin)).toMatchObject({ intakeStatus: 'in_progress' });
    // A revoked link's unfinished intake is no longer pending.
    await rows.revoke(first);
    expect(await rows.summary(irwin)).toMatchObject({ intakeStatus: 'invited' });
  });
});
