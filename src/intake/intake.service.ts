import { Injectable } from '@nestjs/common';
import type { PatientActor, RequestMeta } from '../auth/actor';
import { AssessmentsService } from '../assessments/assessments.service';
import { AuditAction } from '../audit/audit-actions';
import { AuditEvent, AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode, FieldProblem } from '../common/domain-error';
import { IntakeEntity } from '../intakes/intake.entity';
import { IntakeRepository, SubmittableIntake } from './intake.repository';
import { Progress, progressOf, readSection, replaceSection, Source } from './questionnaire/answers';
import { sectionOf } from './questionnaire/questionnaire';
import { Answers, Questionnaire, Section } from '../content/schema/questionnaire.schema';
import { scoreIntake } from './scoring';
import { Content } from '../content/content';
import { HandoutJobs } from '../handouts/handout-jobs';
import { ConsentService } from '../consent/consent.service';
import { ConsentTextEntity } from '../consent/consent-text.entity';
import { WebhookEvents } from '../webhooks/webhook-events';

/** What the privacy notice page shows: the current version, for the intake as it stands. */
export interface ConsentState {
  readonly intake: IntakeEntity;
  readonly text: ConsentTextEntity;
  readonly clinicName: string;
}

/** Where the patient's answer to the notice leads. */
export type ConsentOutcome = 'agreed' | 'refused' | 'changed' | 'closed';

export const CONSENT_REQUIRED =
  'Please read the privacy notice and agree to it before answering any question.';

export interface IntakeState {
  readonly intake: IntakeEntity;
  readonly questionnaire: Questionnaire;
  readonly answers: Answers;
  readonly progress: Progress;
}

/** Reads before a submission gives up: each retry follows a change by another request. */
const SUBMIT_ATTEMPTS = 3;

/** The patient's side of an intake: save steps as they go, then submit once. */
@Injectable()
export class IntakeService {
  constructor(
    private readonly intakes: IntakeRepository,
    private readonly assessments: AssessmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly content: Content,
    private readonly handouts: HandoutJobs,
    private readonly consent: ConsentService,
    private readonly webhooks: WebhookEvents,
  ) {}

  /** Called when the link is opened: the intake exists from then on ("in progress"). */
  async open(patient: PatientActor): Promise<void> {
    await this.intakes.ensure(patient, this.content.questionnaire.version, this.clock.now());
  }

  /**
   * The intake with its questions and answers. Refused (ConsentRequired)
   * while it is open and its patient has not agreed to the privacy notice:
   * nothing of the questionnaire is reached before.
   */
  async state(patient: PatientActor): Promise<IntakeState> {
    const intake = await this.find(patient);
    if (intake.status === 'in_progress' && !intake.consentedAt) {
      throw new DomainError(ErrorCode.ConsentRequired, CONSENT_REQUIRED);
    }
    const questionnaire = this.content.questionnaireVersion(intake.questionnaireVersion);
    const answers = intake.answers as Answers;
    return {
      intake,
      questionnaire,
      answers,
      progress: progressOf(questionnaire, answers, patient.protocol),
    };
  }

  /** The privacy notice to show: the clinic's current version. */
  async consentState(patient: PatientActor): Promise<ConsentState> {
    const intake = await this.find(patient);
    const [text, clinicName] = await Promise.all([
      this.consent.current(patient.clinicId),
      this.consent.clinicName(patient.clinicId),
    ]);
    return { intake, text, clinicName };
  }

  /**
   * The patient's answer to the version of the notice they were shown.
   * Agreeing records that version and the time on the intake, once (another
   * device, a double tap: the first stays). A version the clinic has since
   * replaced is not agreed to: the page shows the new one. Not agreeing
   * saves nothing and is audited as such; the same link can come back.
   */
  async answerConsent(
    patient: PatientActor,
    answer: { readonly consentTextId: string; readonly decision: 'agree' | 'refuse' },
    meta: RequestMeta,
  ): Promise<ConsentOutcome> {
    const intake = await this.find(patient);
    if (intake.status !== 'in_progress' || intake.consentedAt) return 'closed';
    if (answer.decision === 'refuse') {
      await this.audit.record({
        ...this.event(patient, meta, 'intake.consent', intake.id, { decision: 'refuse' }),
        outcome: 'failure',
      });
      return 'refused';
    }
    const current = await this.consent.current(patient.clinicId);
    if (current.id !== answer.consentTextId) return 'changed';
    if (await this.intakes.recordConsent(patient, current, this.clock.now())) {
      await this.record(patient, meta, 'intake.consent', intake.id, {
        decision: 'agree',
        version: String(current.version),
      });
    }
    return 'agreed';
  }

  /**
   * Saves steps as posted: all of them or none. On a problem nothing is
   * saved and every bad field is named (`field` for one step from a form,
   * `section.field` for the API); the page keeps what was typed.
   */
  async saveSections(
    patient: PatientActor,
    bodies: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
    source: Source,
    meta: RequestMeta,
  ): Promise<Progress> {
    const { intake, questionnaire, answers } = await this.state(patient);
    this.refuseWhenSubmitted(intake);
    const prefixed = source === 'json';
    let next: Record<string, unknown> = { ...answers };
    const problems: FieldProblem[] = [];
    for (const [sectionId, body] of Object.entries(bodies)) {
      const section = this.section(questionnaire, sectionId);
      const read = readSection(section, body, source, patient.protocol);
      problems.push(
        ...read.problems.map((p) => (prefixed ? { ...p, field: `${section.id}.${p.field}` } : p)),
      );
      next = replaceSection(next as Answers, section, read.answers);
    }
    if (problems.length > 0) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `Some answers need another look: ${problems.map((p) => p.field).join(', ')}.`,
        problems,
      );
    }
    const lastStep = Object.keys(bodies).at(-1) ?? questionnaire.sections[0].id;
    if (!(await this.intakes.saveAnswers(patient, next, lastStep, this.clock.now()))) {
      this.refuseWhenSubmitted(null);
    }
    await this.record(patient, meta, 'intake.save', intake.id, {
      sections: Object.keys(bodies).join(','),
    });
    return progressOf(questionnaire, next as Answers, patient.protocol);
  }

  /**
   * Saves one step from the patient's form, answer by answer: every answer
   * that reads is saved, and one that does not (a number out of range) keeps
   * whatever was saved for it before, so one bad value never costs the
   * others. Returns the problems, each naming its field, for the page to show
   * with what was typed. `required` (moving on with "Save and continue")
   * also names the required questions left blank.
   */
  async saveStep(
    patient: PatientActor,
    sectionId: string,
    body: Readonly<Record<string, unknown>>,
    meta: RequestMeta,
    options: { readonly required: boolean },
  ): Promise<{
    progress: Progress;
    problems: FieldProblem[];
    questionnaire: Questionnaire;
    section: Section;
  }> {
    const { intake, questionnaire, answers } = await this.state(patient);
    this.refuseWhenSubmitted(intake);
    const section = this.section(questionnaire, sectionId);
    const typed = readSection(section, body, 'form', patient.protocol, options);
    // Read again with each refused answer as it was saved before, so that the others (and
    // the follow-ups it opens or closes) are read exactly as if it had not been touched.
    const asSaved: Record<string, unknown> = { ...body };
    for (const { field } of typed.problems) {
      if (section.questions.some((q) => q.id === field)) asSaved[field] = answers[field];
    }
    const read = readSection(section, asSaved, 'form', patient.protocol, options);
    const next = replaceSection(answers, section, read.answers);
    if (!(await this.intakes.saveAnswers(patient, next, section.id, this.clock.now()))) {
      this.refuseWhenSubmitted(null);
    }
    await this.record(patient, meta, 'intake.save', intake.id, { sections: section.id });
    return {
      progress: progressOf(questionnaire, next, patient.protocol),
      problems: typed.problems,
      questionnaire,
      section,
    };
  }

  /**
   * Freezes the answers with their questionnaire version and stores the
   * scores, the assessment, the audit event and the `intake.submitted`
   * webhook deliveries, all in one statement.
   * Idempotent: a double click, a retry or a second tab finds the intake
   * already submitted and succeeds as a repeat.
   */
  async submit(
    patient: PatientActor,
    meta: RequestMeta,
  ): Promise<{ submittedAt: Date; repeated: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const intake = await this.intakes.findForSubmit(patient);
      if (!intake) throw DomainError.notFound('The questionnaire');
      if (intake.status !== 'in_progress' && intake.submittedAt) {
        return { submittedAt: intake.submittedAt, repeated: true };
      }
      if (!intake.consentedAt) throw new DomainError(ErrorCode.ConsentRequired, CONSENT_REQUIRED);
      this.refuseWhenUnanswered(intake, patient);
      const now = this.clock.now();
      const scores = { ...scoreIntake(intake.answers as Answers) };
      const event = this.event(patient, meta, 'intake.submit', intake.id);
      const submittedEvent = {
        type: 'intake.submitted',
        data: {
          intakeId: intake.id,
          patientId: patient.patientId,
          invitationId: patient.invitationId,
        },
      } as const;
      const stored = await this.intakes.submit(intake, now, scores, [
        (params, submitted) =>
          `${this.assessments.insertOnSubmitSql(intake, scores, params)} FROM ${submitted}`,
        (params, submitted) => `${this.audit.insertSql(event, params)} FROM ${submitted}`,
        (params, submitted) =>
          this.webhooks.insertSql(intake.clinicId, submittedEvent, params, submitted),
      ]);
      if (stored) {
        if (this.handouts.makesAhead) {
          const assessmentId = await this.intakes.assessmentIdOf(intake.clinicId, intake.id);
          if (assessmentId) await this.handouts.ahead(intake.clinicId, assessmentId, 'submitted');
        }
        return { submittedAt: now, repeated: false };
      }
      // Another request changed the intake since it was read: read it again.
      if (attempt === SUBMIT_ATTEMPTS) {
        throw new DomainError(
          ErrorCode.Conflict,
          'Your answers changed while they were being sent. Send them again.',
        );
      }
    }
  }

  private async find(patient: PatientActor): Promise<IntakeEntity> {
    const intake = await this.intakes.find(patient);
    if (!intake) throw DomainError.notFound('The questionnaire');
    return intake;
  }

  section(questionnaire: Questionnaire, sectionId: string): Section {
    const section = sectionOf(questionnaire, sectionId);
    if (!section) throw DomainError.notFound('That step');
    return section;
  }

  private refuseWhenSubmitted(intake: IntakeEntity | null): void {
    if (intake && intake.status === 'in_progress') return;
    throw new DomainError(
      ErrorCode.Conflict,
      'These answers have already been sent to your clinic and can no longer be changed.',
    );
  }

  private refuseWhenUnanswered(intake: SubmittableIntake, patient: PatientActor): void {
    const questionnaire = this.content.questionnaireVersion(intake.questionnaireVersion);
    const { missingRequired } = progressOf(
      questionnaire,
      intake.answers as Answers,
      patient.protocol,
    );
    if (missingRequired.length === 0) return;
    throw new DomainError(
      ErrorCode.ValidationFailed,
      'A few required questions are still unanswered.',
      missingRequired.map((m) => ({
        field: m.question,
        message: 'Answer this question before sending.',
      })),
    );
  }

  private record(
    patient: PatientActor,
    meta: RequestMeta,
    action: AuditAction,
    intakeId: string,
    detail: Record<string, string> = {},
  ): Promise<void> {
    return this.audit.record(this.event(patient, meta, action, intakeId, detail));
  }

  private event(
    patient: PatientActor,
    meta: RequestMeta,
    action: AuditAction,
    intakeId: string,
    detail: Record<string, string> = {},
  ): AuditEvent {
    return {
      clinicId: patient.clinicId,
      actorType: 'patient',
      actorId: patient.invitationId,
      action,
      targetType: 'intake',
      targetId: intakeId,
      patientId: patient.patientId,
      outcome: 'success',
      ...meta,
      detail,
    };
  }
}
