import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AssessmentRepository } from '../assessments/assessment.repository';
import { RequestMeta } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ClinicEntity } from '../clinics/clinic.entity';
import { ClinicScope } from '../common/clinic-scope';
import { ClinicTime, serverTimeZone } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Answers } from '../content/schema/questionnaire.schema';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { PatientRepository } from '../patients/patient.repository';
import { PointReviewRepository } from '../reviews/point-review.repository';
import type { AssessmentResult } from '../rules/evaluate';
import { DosingAdviceError, assertNoDosingAdvice } from '../safety/dosing-guard';
import { HandoutKind, PaperSize } from './handout.entity';
import { HandoutRepository } from './handout.repository';
import { HandoutTemplates } from './handout-templates';
import { handoutView, PointMark } from './handout-view';
import { htmlToText } from './html-text';
import { PdfRenderer } from './pdf-renderer';
import { Content } from '../content/content';

/**
 * Identifies what a handout was made from besides its assessment: the
 * clinician's marks, in order, and the time zone its dates are in (SHA-256).
 */
export function reviewDigest(marks: Readonly<Record<string, PointMark>>, timeZone: string): string {
  const entries = Object.entries(marks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify({ entries, timeZone })).digest('hex');
}

export interface HandoutFile {
  readonly pdf: Buffer;
  readonly filename: string;
  readonly stored: boolean;
}

/**
 * A handout is made once per (assessment, kind, template version, paper,
 * clinician's marks) and stored; later downloads return the stored bytes, and
 * a changed mark makes a new one. Before a PDF is made, the
 * final text is put through the dosing-advice guard: on a finding, nothing is
 * rendered, stored or sent.
 */
@Injectable()
export class HandoutsService {
  private readonly logger = new Logger(HandoutsService.name);

  constructor(
    private readonly handouts: HandoutRepository,
    private readonly assessments: AssessmentRepository,
    private readonly intakes: ClinicIntakeRepository,
    private readonly patients: PatientRepository,
    @InjectRepository(ClinicEntity) private readonly clinics: Repository<ClinicEntity>,
    private readonly templates: HandoutTemplates,
    private readonly renderer: PdfRenderer,
    private readonly audit: AuditService,
    private readonly content: Content,
    private readonly clock: Clock,
    private readonly pointReviews: PointReviewRepository,
  ) {}

  async get(
    scope: ClinicScope,
    assessmentId: string,
    kind: HandoutKind,
    paper: PaperSize,
    meta: RequestMeta,
  ): Promise<HandoutFile> {
    const assessment = await this.assessments.findById(scope, assessmentId);
    if (!assessment) throw DomainError.notFound('The assessment');
    const intake = await this.intakes.findById(scope, assessment.intakeId);
    const patient = intake && (await this.patients.findById(scope, intake.patientId));
    if (!intake?.submittedAt || !patient) throw DomainError.notFound('The assessment');
    const clinic = await this.clinics.findOneByOrFail({ id: scope.clinicId });
    const time = ClinicTime.of(clinic.timeZone ?? serverTimeZone());
    // Kind, intake day (the clinic's), paper and the assessment's short id: both sizes can sit
    // in one folder, two patients' notes of one day never share a name, and none names a patient.
    const filename = `${kind === 'clinician' ? 'discussion-guide' : 'patient-notes'}-${time.day(
      intake.submittedAt,
    )}-${paper}-${assessmentId.slice(0, 8)}.pdf`;
    const marks = await this.marksOf(scope, assessmentId);
    const key = {
      assessmentId,
      kind,
      templateVersion: this.templates.version,
      paper,
      reviewDigest: reviewDigest(marks, time.zone),
    };

    const stored = await this.handouts.find(scope, key);
    if (stored) {
      await this.record(scope, meta, assessmentId, 'success', { kind, paper, stored: true });
      return { pdf: stored.content, filename, stored: true };
    }

    const view = handoutView({
      kind,
      clinicName: clinic.name,
      patientName: `${patient.givenName} ${patient.familyName}`,
      patientReference: patient.reference,
      protocol: intake.protocol,
      intakeDate: intake.submittedAt,
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
    const html = this.templates.html(view);
    try {
      assertNoDosingAdvice([htmlToText(html), this.templates.footerText(view)], `${kind} handout`);
    } catch (error) {
      if (!(error instanceof DosingAdviceError)) throw error;
      // Product text only is in a handout, so the matches carry no patient data.
      this.logger.error(
        { assessmentId, kind, findings: error.findings.map((f) => `${f.rule}: ${f.match}`) },
        'Handout refused by the dosing-advice guard',
      );
      await this.record(scope, meta, assessmentId, 'failure', { kind, paper, refused: true });
      throw new DomainError(
        ErrorCode.HandoutRefused,
        'This handout was not produced: part of its text reads as dosing advice, which this product never gives. Nothing was sent; please report the request id.',
      );
    }

    const { pdf } = await this.renderer.render({ html, paper });
    await this.handouts.insertOnce(
      scope,
      key,
      pdf,
      createHash('sha256').update(pdf).digest('hex'),
      this.clock.now(),
    );
    // If another request stored the same handout first, send those bytes: one handout per key.
    const kept = await this.handouts.find(scope, key);
    await this.record(scope, meta, assessmentId, 'success', { kind, paper, stored: false });
    return { pdf: kept?.content ?? pdf, filename, stored: false };
  }

  private async marksOf(
    scope: ClinicScope,
    assessmentId: string,
  ): Promise<Record<string, PointMark>> {
    const reviews = await this.pointReviews.listForAssessment(scope, assessmentId);
    return Object.fromEntries(
      reviews.flatMap((review) => (review.mark ? [[review.pointId, review.mark] as const] : [])),
    );
  }

  private record(
    scope: ClinicScope,
    meta: RequestMeta,
    assessmentId: string,
    outcome: 'success' | 'failure',
    detail: Record<string, string | boolean>,
  ): Promise<void> {
    return this.audit.recordByUser(scope, meta, {
      action: 'handout.download',
      targetType: 'assessment',
      targetId: assessmentId,
      outcome,
      detail,
    });
  }
}
