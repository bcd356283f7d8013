import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { AssessmentRepository } from '../assessments/assessment.repository';
import { ClinicEntity } from '../clinics/clinic.entity';
import { ClinicScope } from '../common/clinic-scope';
import { ClinicTime, serverTimeZone } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Content } from '../content/content';
import { Answers } from '../content/schema/questionnaire.schema';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { IntakeEntity } from '../intakes/intake.entity';
import { PatientEntity } from '../patients/patient.entity';
import { PatientRepository } from '../patients/patient.repository';
import { PointReviewRepository } from '../reviews/point-review.repository';
import type { AssessmentResult } from '../rules/evaluate';
import { assertNoDosingAdvice, DosingAdviceError } from '../safety/dosing-guard';
import { HandoutKind, PaperSize } from './handout.entity';
import { HandoutKey, HandoutRepository } from './handout.repository';
import { HandoutTemplates } from './handout-templates';
import { handoutView, HandoutView, PointMark } from './handout-view';
import { htmlToText } from './html-text';
import { PdfRenderer } from './pdf-renderer';
import { Metrics } from '../metrics/metrics';

/** What a handout is made from, as the database holds it now. */
interface Loaded {
  readonly assessment: AssessmentEntity;
  readonly intake: IntakeEntity & { submittedAt: Date };
  readonly patient: PatientEntity;
  readonly clinic: ClinicEntity;
  readonly time: ClinicTime;
  readonly marks: Record<string, PointMark>;
}

/** What a handout job names: everything else is read from the database when it runs. */
export interface HandoutRequest {
  readonly clinicId: string;
  /** The clinician who asked; null when made ahead of any download. */
  readonly userId: string | null;
  readonly assessmentId: string;
  readonly kind: HandoutKind;
  readonly paper: PaperSize;
}

/** A handout the service can name and find, before it is made. */
export interface PreparedHandout {
  readonly key: HandoutKey;
  readonly filename: string;
}

/**
 * Identifies what a handout was made from besides its assessment: the
 * clinician's marks, in order, and the time zone its dates are in (SHA-256).
 */
export function reviewDigest(marks: Readonly<Record<string, PointMark>>, timeZone: string): string {
  const entries = Object.entries(marks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify({ entries, timeZone })).digest('hex');
}

/** The dosing-advice guard refused the handout's text: nothing was rendered or stored. */
export class HandoutRefusedError extends DomainError {
  constructor() {
    super(
      ErrorCode.HandoutRefused,
      'This handout was not produced: part of its text reads as dosing advice, which this product never gives. Nothing was sent; please report the request id.',
    );
  }
}

/**
 * Makes and stores one handout: in the web process (the default) or in a
 * render worker (with REDIS_URL). It reads the assessment, the intake and the
 * clinician's marks as they are now, puts the final text through the
 * dosing-advice guard (a finding stops it: nothing rendered or stored), renders
 * with Chromium and stores the PDF once per key, whoever renders it first.
 */
@Injectable()
export class HandoutMaker {
  private readonly logger = new Logger(HandoutMaker.name);

  constructor(
    private readonly handouts: HandoutRepository,
    private readonly assessments: AssessmentRepository,
    private readonly intakes: ClinicIntakeRepository,
    private readonly patients: PatientRepository,
    @InjectRepository(ClinicEntity) private readonly clinics: Repository<ClinicEntity>,
    private readonly templates: HandoutTemplates,
    private readonly renderer: PdfRenderer,
    private readonly content: Content,
    private readonly clock: Clock,
    private readonly pointReviews: PointReviewRepository,
    private readonly metrics: Metrics,
  ) {}

  /** The handout's key and file name; not found when the assessment is not this clinic's. */
  async prepare(
    scope: ClinicScope,
    assessmentId: string,
    kind: HandoutKind,
    paper: PaperSize,
  ): Promise<PreparedHandout> {
    const loaded = await this.load(scope, assessmentId);
    const { intake, time } = loaded;
    // Kind, intake day (the clinic's), paper and the assessment's short id: both sizes can sit
    // in one folder, two patients' notes of one day never share a name, and none names a patient.
    const filename = `${kind === 'clinician' ? 'discussion-guide' : 'patient-notes'}-${time.day(
      intake.submittedAt,
    )}-${paper}-${assessmentId.slice(0, 8)}.pdf`;
    return { key: this.keyOf(loaded, kind, paper), filename };
  }

  private keyOf(loaded: Loaded, kind: HandoutKind, paper: PaperSize): HandoutKey {
    return {
      assessmentId: loaded.assessment.id,
      kind,
      templateVersion: this.templates.version,
      paper,
      reviewDigest: reviewDigest(loaded.marks, loaded.time.zone),
    };
  }

  /** Makes and stores the handout unless it is stored already; its key as made. */
  async make(request: HandoutRequest): Promise<HandoutKey> {
    const stop = this.metrics.renderDuration.startTimer({ kind: request.kind });
    try {
      return await this.makeOnce(request);
    } catch (error) {
      this.metrics.jobFailures.inc({
        reason: error instanceof HandoutRefusedError ? 'refused' : 'error',
      });
      throw error;
    } finally {
      stop();
    }
  }

  private async makeOnce(request: HandoutRequest): Promise<HandoutKey> {
    // Reads are scoped by clinic; the user is recorded as the handout's creator only.
    const scope: ClinicScope = { clinicId: request.clinicId, userId: request.userId ?? '' };
    const loaded = await this.load(scope, request.assessmentId);
    const key = this.keyOf(loaded, request.kind, request.paper);
    if (await this.handouts.exists(scope, key)) return key;

    const view = this.viewOf(loaded, request.kind);
    const html = this.templates.html(view);
    this.guard(view, html, request.assessmentId);
    const { pdf } = await this.renderer.render({ html, paper: request.paper });
    await this.handouts.insertOnce(scope, {
      key,
      content: pdf,
      contentHash: createHash('sha256').update(pdf).digest('hex'),
      createdAt: this.clock.now(),
      createdBy: request.userId,
      intakeId: loaded.intake.id,
      patientId: loaded.patient.id,
    });
    return key;
  }

  /**
   * The patient's notes as the PDF of the same assessment and marks says them
   * (the same model, kind 'patient'), for the patient's own page: checked by
   * the dosing guard exactly as the PDF is before it is made (HandoutRefusedError
   * on a finding). Not found when the assessment is not the scope's clinic's.
   */
  async patientNotes(scope: ClinicScope, assessmentId: string): Promise<HandoutView> {
    const view = this.viewOf(await this.load(scope, assessmentId), 'patient');
    this.guard(view, this.templates.html(view), assessmentId);
    return view;
  }

  /** What a handout of this kind says: the one model the PDF and the patient's page share. */
  private viewOf(loaded: Loaded, kind: HandoutKind): HandoutView {
    const { assessment, intake, patient, clinic, time, marks } = loaded;
    return handoutView({
      kind,
      clinicName: clinic.name,
      patientName: `${patient.givenName} ${patient.familyName}`,
      patientReference: patient.reference,
      protocol: intake.protocol,
      intakeDate: intake.submittedAt,
      consent:
        intake.consentVersion !== null && intake.consentedAt
          ? { version: intake.consentVersion, at: intake.consentedAt }
          : null,
      generatedAt: this.clock.now(),
      articles: this.content.articles,
      knowledge: this.content.knowledgeBase,
      questionnaire: this.content.questionnaireVersion(intake.questionnaireVersion),
      answers: intake.answers as Answers,
      scores: intake.scores ?? {},
      result: assessment.results as unknown as AssessmentResult,
      marks,
      time,
    });
  }

  /** The dosing-advice guard over the handout's final text; a finding stops it, fails closed. */
  private guard(view: HandoutView, html: string, assessmentId: string): void {
    try {
      assertNoDosingAdvice(
        [htmlToText(html), this.templates.footerText(view)],
        `${view.kind} handout`,
      );
    } catch (error) {
      if (!(error instanceof DosingAdviceError)) throw error;
      // Product text only is in a handout, so the matches carry no patient data.
      this.logger.error(
        {
          assessmentId,
          kind: view.kind,
          findings: error.findings.map((f) => `${f.rule}: ${f.match}`),
        },
        'Handout refused by the dosing-advice guard',
      );
      throw new HandoutRefusedError();
    }
  }

  private async load(scope: ClinicScope, assessmentId: string): Promise<Loaded> {
    const assessment = await this.assessments.findById(scope, assessmentId);
    if (!assessment) throw DomainError.notFound('The assessment');
    const intake = await this.intakes.findById(scope, assessment.intakeId);
    const patient = intake && (await this.patients.findById(scope, intake.patientId));
    if (!intake?.submittedAt || !patient) throw DomainError.notFound('The assessment');
    const clinic = await this.clinics.findOneByOrFail({ id: scope.clinicId });
    const time = ClinicTime.of(clinic.timeZone ?? serverTimeZone());
    const reviews = await this.pointReviews.listForAssessment(scope, assessmentId);
    const marks: Record<string, PointMark> = Object.fromEntries(
      reviews.flatMap((review) => (review.mark ? [[review.pointId, review.mark] as const] : [])),
    );
    // Checked above: a submitted intake.
    const submitted = intake as IntakeEntity & { submittedAt: Date };
    return { assessment, intake: submitted, patient, clinic, time, marks };
  }
}
