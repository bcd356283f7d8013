import { AssessmentsService } from '../src/assessments/assessments.service';
import type { PatientActor } from '../src/auth/actor';
import { ActorType } from '../src/audit/audit-event.entity';
import { AuditService } from '../src/audit/audit.service';
import { SqlParams } from '../src/common/sql-params';
import { IntakeRepository, SubmittableIntake } from '../src/intake/intake.repository';
import { IntakeService } from '../src/intake/intake.service';
import { Answers } from '../src/content/schema/questionnaire.schema';
import { scoreIntake } from '../src/intake/scoring';
import { startPatientSession } from './support/patient-link';
import { TYPICAL_ANSWERS } from './support/intake-flow';
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

const META = { requestId: 'req-submission-test', ip: '127.0.0.1' };

/**
 * Submitting writes the intake's status and scores, its assessment, its audit
 * event and (by trigger) the patient's summary in one statement: these tests
 * read back what PostgreSQL stored when it succeeds, when another request
 * got there first, and when one part fails.
 */
describe('submitting an intake (one statement, all or nothing)', () => {
  let t: TestApp;
  let owner: TestUser;
  let clinician: Browser;
  let intakes: IntakeService;
  let repository: IntakeRepository;

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Submission Clinic');
    owner = await createUser(t.dataSource, clinic, { email: 'submit@clinic.test' });
    clinician = await signIn(t.server, owner);
    intakes = t.app.get(IntakeService);
    repository = t.app.get(IntakeRepository);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** A new patient who opened their link and saved the typical answers: ready to submit. */
  async function readyPatient(): Promise<PatientActor> {
    const patient = await createPatient(t.dataSource, owner);
    const { invitation, client, token } = await startPatientSession(t.server, clinician, patient);
    const saved = await client.agent
      .put('/api/intake/answers')
      .set('X-CSRF-Token', token)
      .send(TYPICAL_ANSWERS);
    expect(saved.status).toBe(200);
    return {
      kind: 'patient',
      sessionId: 'not used here',
      invitationId: invitation.id,
      clinicId: patient.clinicId,
      patientId: patient.id,
      protocol: 'trt',
    };
  }

  /** What the database holds for the patient's intake. */
  async function stored(actor: PatientActor) {
    const [row] = await t.dataSource.query<
      {
        status: string;
        questionnaire_version: string;
        answers: Answers;
        scores: Record<string, unknown> | null;
        assessments: { results: unknown; flagged_pillars: string[] }[] | null;
        audits: number;
        summary_status: string;
        summary_flags: string[];
      }[]
    >(
      `SELECT i.status, i.questionnaire_version, i.answers, i.scores,
              (SELECT json_agg(json_build_object('results', a.results, 'flagged_pillars', a.flagged_pillars))
                 FROM assessments a WHERE a.intake_id = i.id) AS assessments,
              (SELECT count(*)::int FROM audit_events e
                 WHERE e.action = 'intake.submit' AND e.target_id = i.id) AS audits,
              p.intake_status AS summary_status, p.flagged_pillars AS summary_flags
       FROM intakes i JOIN patients p ON p.id = i.patient_id
       WHERE i.invitation_id = $1`,
      [actor.invitationId],
    );
    return row;
  }

  /** What IntakeService.submit writes alongside the status, with the actor type given. */
  function writesFor(actor: PatientActor, intake: SubmittableIntake, actorType: ActorType) {
    const scores = { ...scoreIntake(intake.answers as Answers) };
    const parts = [
      (params: SqlParams, submitted: string) =>
        `${t.app.get(AssessmentsService).insertOnSubmitSql(intake, scores, params)} FROM ${submitted}`,
      (params: SqlParams, submitted: string) =>
        `${t.app.get(AuditService).insertSql(
          {
            clinicId: actor.clinicId,
            actorType,
            actorId: actor.invitationId,
            action: 'intake.submit',
            targetType: 'intake',
            targetId: intake.id,
            outcome: 'success',
          },
          params,
        )} FROM ${submitted}`,
    ];
    return { scores, parts };
  }

  it('stores the status, scores, assessment, audit event and summary together', async () => {
    const actor = await readyPatient();
    expect((await stored(actor)).summary_status).toBe('in_progress');

    const { repeated } = await intakes.submit(actor, META);

    expect(repeated).toBe(false);
    const after = await stored(actor);
    expect(after.status).toBe('submitted');
    expect(after.scores).toEqual(JSON.parse(JSON.stringify(scoreIntake(after.answers))));
    expect(after.assessments).toHaveLength(1);
    expect(after.audits).toBe(1);
    expect(after.summary_status).toBe('submitted');
    expect(after.assessments?.[0].flagged_pillars.length).toBeGreaterThan(0);
    expect(after.summary_flags).toEqual(after.assessments?.[0].flagged_pillars);
  });

  it('writes nothing when the intake changed after it was read', async () => {
    const actor = await readyPatient();
    const read = await repository.findForSubmit(actor);
    if (!read) throw new Error('No intake');
    await repository.saveAnswers(actor, { ...read.answers, hoursAsleep: 8 }, 'sleep', new Date());

    const { scores, parts } = writesFor(actor, read, 'patient');
    expect(await repository.submit(read, new Date(), scores, parts)).toBe(false);

    const after = await stored(actor);
    expect(after).toMatchObject({ status: 'in_progress', scores: null, assessments: null });
    expect(after.audits).toBe(0);
    expect(after.summary_status).toBe('in_progress');
  });

  it('writes nothing when one of its parts fails', async () => {
    const actor = await readyPatient();
    const read = await repository.findForSubmit(actor);
    if (!read) throw new Error('No intake');

    // An actor type the audit table's check refuses: the last part of the statement fails.
    const { scores, parts } = writesFor(actor, read, 'robot' as ActorType);
    await expect(repository.submit(read, new Date(), scores, parts)).rejects.toThrow(
      /audit_events_actor_type_known/,
    );

    const after = await stored(actor);
    expect(after).toMatchObject({ status: 'in_progress', scores: null, assessments: null });
    expect(after.audits).toBe(0);
    expect(after.summary_status).toBe('in_progress');
  });

  it('assesses the answers saved while it was being sent', async () => {
    const actor = await readyPatient();
    const read = repository.findForSubmit.bind(repository);
    let reads = 0;
    // Another tab saves a changed answer just after this submission read the intake.
    const spy = jest.spyOn(repository, 'findForSubmit').mockImplementation(async (patient) => {
      const intake = await read(patient);
      if (++reads === 1 && intake) {
        await repository.saveAnswers(
          patient,
          { ...intake.answers, hoursAsleep: 8 },
          'sleep',
          new Date(),
        );
      }
      return intake;
    });
    try {
      expect((await intakes.submit(actor, META)).repeated).toBe(false);
    } finally {
      spy.mockRestore();
    }

    expect(reads).toBe(2);
    const after = await stored(actor);
    expect(after.answers.hoursAsleep).toBe(8);
    expect(after.scores).toEqual(JSON.parse(JSON.stringify(scoreIntake(after.answers))));
    const expected = t.app.get(AssessmentsService).resultFor({
      questionnaireVersion: after.questionnaire_version,
      answers: after.answers,
      scores: after.scores,
      protocol: 'trt',
    });
    expect(after.assessments?.[0].results).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(after.audits).toBe(1);
  });

  it('stores one submission when two arrive at once', async () => {
    const actor = await readyPatient();

    const results = await Promise.all([
      intakes.submit(actor, META),
      intakes.submit(actor, META),
      intakes.submit(actor, META),
    ]);

    expect(results.filter((r) => !r.repeated)).toHaveLength(1);
    expect(new Set(results.map((r) => r.submittedAt.toISOString())).size).toBe(1);
    const after = await stored(actor);
    expect(after.assessments).toHaveLength(1);
    expect(after.audits).toBe(1);
  });
});
