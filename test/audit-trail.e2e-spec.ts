import { DataSource } from 'typeorm';
import { AuditEventsPatient1763800001400 } from '../migrations/1763800001400-AuditEventsPatient';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrations } from '../src/database/migrate';
import { AUDIT_ACTION_NAMES } from '../src/audit/audit-actions';
import { AUDIT_CSV_COLUMNS } from '../src/audit/audit-csv';
import { ClinicEntity } from '../src/clinics/clinic.entity';
import { ClinicTime } from '../src/common/clinic-time';
import { parseCsv } from './support/csv';
import { submitIntake, SubmittedIntake } from './support/intake-flow';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

const ZONE = 'Asia/Kolkata';

interface Row {
  id: string;
  action: string;
  actor_type: string;
  actor_id: string | null;
  clinic_id: string | null;
  target_type: string | null;
  target_id: string | null;
  patient_id: string | null;
  outcome: string;
  detail: Record<string, unknown>;
}

describe('the audit trail: actions, patients, refusals and the CSV export', () => {
  let t: TestApp;
  let alpha: ClinicEntity;
  let bravo: ClinicEntity;
  let docA: Browser;
  let adminA: Browser;
  let docB: Browser;
  let patientId: string;
  let submitted: SubmittedIntake;

  const rows = (where: string, values: unknown[]): Promise<Row[]> =>
    t.dataSource.query(`SELECT * FROM audit_events WHERE ${where} ORDER BY id`, values);

  beforeAll(async () => {
    t = await startTestApp();
    alpha = await createClinic(t.dataSource, 'Alpha');
    await t.dataSource.getRepository(ClinicEntity).update(alpha.id, { timeZone: ZONE });
    bravo = await createClinic(t.dataSource, 'Bravo');
    const doc = await createUser(t.dataSource, alpha, { email: 'doc@alpha.test' });
    const admin = await createUser(t.dataSource, alpha, {
      email: 'admin@alpha.test',
      role: 'admin',
    });
    const other = await createUser(t.dataSource, bravo, { email: 'doc@bravo.test' });
    // A name a spreadsheet would run as a formula, to prove the export defuses it.
    const patient = await createPatient(t.dataSource, doc, {
      givenName: '=HYPERLINK("http://evil.example")',
      familyName: 'Asha',
      reference: 'A-17',
    });
    patientId = patient.id;
    docA = await signIn(t.server, doc);
    adminA = await signIn(t.server, admin);
    docB = await signIn(t.server, other);
    submitted = await submitIntake(t.server, t.dataSource, docA, patient);

    // A view and a download by the clinic's doctor, then refused attempts from another clinic.
    const statuses = [
      (await docA.agent.get(`/intakes/${submitted.intake.id}`).accept('html')).status,
      (await docA.agent.get(`/api/assessments/${submitted.assessment.id}/handouts/patient`)).status,
      (await docB.agent.get(`/intakes/${submitted.intake.id}`).accept('html')).status,
      (await docB.agent.get('/api/patients/not-an-id')).status,
    ];
    if (statuses.join() !== '200,200,404,404') throw new Error(`Setup failed: ${statuses.join()}`);
  });
  afterAll(() => t.close());

  it('the database accepts exactly the actions of the list', async () => {
    const [{ definition }] = await t.dataSource.query<{ definition: string }[]>(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
        WHERE conname = 'audit_events_action_known'`,
    );
    const accepted = [...definition.matchAll(/'([a-z_.]+)'/g)].map((match) => match[1]);
    expect([...accepted].sort()).toEqual([...AUDIT_ACTION_NAMES].sort());
    await expect(
      t.dataSource.query(
        `INSERT INTO audit_events (actor_type, action, outcome) VALUES ('system', 'made.up', 'success')`,
      ),
    ).rejects.toThrow(/audit_events_action_known/);
  });

  it("ties every event about the patient's records to the patient, the patient's own ones included", async () => {
    const events = await rows('patient_id = $1', [patientId]);
    const seen = events.map((e) => `${e.actor_type} ${e.action} ${e.outcome}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'user invitation.create success',
        'patient intake.link_open success',
        'patient intake.save success',
        'patient intake.submit success',
        'user intake.view success',
        'user handout.download success',
        'user intake.view denied',
      ]),
    );
    const denied = events.find((e) => e.outcome === 'denied');
    expect(denied).toMatchObject({ clinic_id: bravo.id, target_id: submitted.intake.id });
    // No event about one of its records is left without the patient.
    const loose = await rows(`patient_id IS NULL AND target_id = ANY($1::uuid[])`, [
      [patientId, submitted.intake.id, submitted.assessment.id, submitted.intake.invitationId],
    ]);
    expect(loose).toEqual([]);
    // Identifiers and counts only: no health values, no names.
    expect(JSON.stringify(events)).not.toMatch(/Asha|HYPERLINK/);
  });

  it('records a refused malformed id as such, without storing what was typed', async () => {
    const [event] = await rows(`action = 'patient.view' AND outcome = 'denied'`, []);
    expect(event).toMatchObject({ target_id: null, patient_id: null, clinic_id: bravo.id });
    expect(event.detail).toEqual({ reason: 'not_found', malformedId: true });
  });

  it('exports the log as CSV for a range of days, read back cell by cell, and records the export', async () => {
    const time = new ClinicTime(ZONE);
    const today = time.day(new Date())!;
    const response = await adminA.agent.get(`/api/audit-events/export?from=${today}&to=${today}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="audit-log-${today}-to-${today}.csv"`,
    );
    const [header, ...lines] = parseCsv(response.text);
    expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
    const records = lines.map((cells) =>
      Object.fromEntries(header.map((column, i) => [column, cells[i]])),
    );
    expect(records.every((r) => Object.keys(r).length === header.length)).toBe(true);
    expect(records.every((r) => r.clinic_time_zone === ZONE)).toBe(true);
    expect(records.every((r) => r.occurred_at_clinic.endsWith('+05:30'))).toBe(true);
    expect(
      records.every(
        (r) =>
          new Date(r.occurred_at_utc).toISOString().slice(0, 19) === r.occurred_at_utc.slice(0, 19),
      ),
    ).toBe(true);

    const download = records.find((r) => r.action === 'handout.download');
    expect(download).toMatchObject({
      actor: 'User doc@alpha.test',
      action_description: 'Downloaded a handout',
      outcome: 'success',
      patient_id: patientId,
      patient_reference: 'A-17',
      // Defused: read as text, never as a formula.
      patient_name: `'=HYPERLINK("http://evil.example") Asha`,
    });
    // Another clinic's refused attempt on this clinic's patient: there, and unnamed.
    const outside = records.find((r) => r.outcome === 'denied' && r.patient_id === patientId);
    expect(outside).toMatchObject({
      actor: 'Someone outside this clinic',
      actor_id: '',
      request_id: '',
      action: 'intake.view',
    });
    expect(response.text).not.toContain('doc@bravo.test');
    // The malformed attempt was Bravo's own business: not in Alpha's export.
    expect(records.some((r) => r.action === 'patient.view' && r.outcome === 'denied')).toBe(false);

    const [exported] = await rows(`action = 'audit.export'`, []);
    expect(exported).toMatchObject({ clinic_id: alpha.id, outcome: 'success' });
    expect(exported.detail).toEqual({ from: today, to: today, timeZone: ZONE });
  });

  it('answers a bad range with 400 naming the field, and refuses clinicians', async () => {
    const fieldsOf = async (query: string) => {
      const response = await adminA.agent.get(`/api/audit-events/export${query}`);
      expect(response.status).toBe(400);
      return (response.body.fields as { field: string }[]).map((f) => f.field);
    };
    expect(await fieldsOf('')).toEqual(expect.arrayContaining(['from', 'to']));
    expect(await fieldsOf('?from=2026-02-30&to=2026-03-01')).toEqual(['from']);
    expect(await fieldsOf('?from=2026-03-02&to=2026-03-01')).toEqual(['to']);
    expect(await fieldsOf('?from=2025-01-01&to=2026-01-02')).toEqual(['to']);
    expect(await fieldsOf('?from=2026-01-01&to=2026-01-02&clinicId=x')).toEqual(['clinicId']);
    const clinician = await docA.agent.get(
      '/api/audit-events/export?from=2026-01-01&to=2026-01-02',
    );
    expect(clinician.status).toBe(403);
  });

  it("shows the admin staff and patient names, filters by patient (another clinic's attempts included, unnamed) and by action", async () => {
    const page = await adminA.agent.get(`/admin/audit?patientId=${patientId}`).accept('html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('User doc@alpha.test');
    expect(page.text).toContain('HYPERLINK(&quot;http://evil.example&quot;) Asha');
    expect(page.text).toContain('Ref. A-17');
    expect(page.text).toContain('<em>Someone outside this clinic</em>');
    expect(page.text).not.toContain('bravo');
    expect(page.text).toContain('Viewed an intake');

    const api = await adminA.agent.get(
      `/api/audit-events?patientId=${patientId}&action=intake.view&outcome=denied`,
    );
    expect(api.body).toEqual([
      expect.objectContaining({
        actorId: null,
        actorName: 'Someone outside this clinic',
        outsideClinic: true,
        targetId: submitted.intake.id,
        patientId,
      }),
    ]);
    // Unfiltered, the log is the clinic's own: another clinic's attempts show only by patient.
    const own = await adminA.agent.get('/api/audit-events?outcome=denied');
    expect(own.body).toEqual([]);
  });

  it("backfills existing events with their target's patient, in any clinic", async () => {
    // Back to before the migration that added patient_id, then up again, as an upgrade over
    // the events written above would run it (as the owner: the service's role may not).
    // The patients above agreed to the privacy notice (intake.consent), an action added after
    // that migration: a database from before it has no such event, and the older constraint
    // refuses one. Set aside as the superuser (the log is append-only for everyone else).
    const superuser = await new DataSource(dataSourceOptions(t.database.url, 1)).initialize();
    try {
      await superuser.transaction(async (manager) => {
        await manager.query(`SET LOCAL session_replication_role = replica`);
        await manager.query(`DELETE FROM audit_events WHERE action = 'intake.consent'`);
      });
    } finally {
      await superuser.destroy();
    }
    const owner = await new DataSource(dataSourceOptions(t.database.ownerUrl, 2)).initialize();
    try {
      const applied = async () =>
        (await owner.query<{ name: string }[]>(`SELECT name FROM migrations ORDER BY id`)).map(
          (m) => m.name,
        );
      while ((await applied()).includes(AuditEventsPatient1763800001400.name))
        await owner.undoLastMigration({ transaction: 'each' });
      expect(await runMigrations(owner)).toContain(AuditEventsPatient1763800001400.name);
    } finally {
      await owner.destroy();
    }
    const about = await rows(`target_id = ANY($1::uuid[])`, [
      [patientId, submitted.intake.id, submitted.assessment.id, submitted.intake.invitationId],
    ]);
    expect(about.length).toBeGreaterThan(5);
    expect(about.filter((e) => e.patient_id !== patientId)).toEqual([]);
    expect(about.some((e) => e.clinic_id === bravo.id)).toBe(true);
  });
});
