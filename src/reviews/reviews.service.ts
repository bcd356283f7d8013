import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { AssessmentRepository } from '../assessments/assessment.repository';
import { PointReviewEntity } from '../assessments/point-review.entity';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { Clock } from '../common/clock';
import { HandoutJobs } from '../handouts/handout-jobs';
import { DomainError, ErrorCode } from '../common/domain-error';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { IntakeEntity } from '../intakes/intake.entity';
import { PatientEntity } from '../patients/patient.entity';
import { PatientRepository } from '../patients/patient.repository';
import type { AssessmentResult } from '../rules/evaluate';
import { UserRepository } from '../users/user.repository';
import { WebhookEvents } from '../webhooks/webhook-events';
import { PointReviewDto } from './point-review.dto';
import { PointReviewRepository } from './point-review.repository';

export interface IntakeReview {
  readonly intake: IntakeEntity;
  readonly patient: PatientEntity;
  /** The newest assessment; absent while the intake is in progress. */
  readonly assessment?: AssessmentEntity;
  readonly reviews: readonly (PointReviewEntity & { updatedByName: string })[];
}

/**
 * A clinician's review of a submitted intake: reading it (audited), marking
 * each point discussed or not relevant (with a reason) and noting it, and
 * closing the review. Every change is audited in its own transaction, with
 * identifiers only: never the note's words.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly intakes: ClinicIntakeRepository,
    private readonly patients: PatientRepository,
    private readonly assessments: AssessmentRepository,
    private readonly pointReviews: PointReviewRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly handouts: HandoutJobs,
    private readonly webhooks: WebhookEvents,
  ) {}

  async intakeReview(
    scope: ClinicScope,
    intakeId: string,
    meta: RequestMeta,
  ): Promise<IntakeReview> {
    const intake = await this.intakes.findById(scope, intakeId);
    const patient = intake && (await this.patients.findById(scope, intake.patientId));
    // Refused (not this clinic's, or none): recorded by DeniedAccessInterceptor.
    if (!intake || !patient) throw DomainError.notFound('The intake');
    const [assessment] = await this.assessments.listForIntake(scope, intakeId);
    const reviews = assessment
      ? await this.pointReviews.listForAssessment(scope, assessment.id)
      : [];
    const names = new Map(
      (await this.users.listForClinic(scope)).map((user) => [user.id, user.displayName]),
    );
    await this.record(scope, meta, 'intake.view', 'intake', intakeId, intake.patientId);
    return {
      intake,
      patient,
      assessment,
      reviews: reviews.map((review) => ({
        ...review,
        updatedByName: names.get(review.updatedBy) ?? 'A former user',
      })),
    };
  }

  /** A patient's intakes, oldest first, for the API (audited); 404 for no such patient. */
  async patientIntakes(
    scope: ClinicScope,
    patientId: string,
    meta: RequestMeta,
  ): Promise<IntakeEntity[]> {
    if (!(await this.patients.findById(scope, patientId)))
      throw DomainError.notFound('The patient');
    const intakes = await this.history(scope, patientId);
    await this.record(scope, meta, 'intake.list', 'patient', patientId, patientId, {
      count: String(intakes.length),
    });
    return intakes;
  }

  /** The marks and notes on an assessment's points. */
  marks(scope: ClinicScope, assessmentId: string): Promise<PointReviewEntity[]> {
    return this.pointReviews.listForAssessment(scope, assessmentId);
  }

  /** A patient's intakes, oldest first (not audited: the patient page that shows them is). */
  history(scope: ClinicScope, patientId: string): Promise<IntakeEntity[]> {
    return this.intakes.listForPatient(scope, patientId);
  }

  /** The newest assessment of an intake, if any. */
  async latestAssessment(
    scope: ClinicScope,
    intakeId: string,
  ): Promise<AssessmentEntity | undefined> {
    const [newest] = await this.assessments.listForIntake(scope, intakeId);
    return newest;
  }

  /** Of an assessment's discussion points (strengths aside), how many a clinician has marked. */
  async markCounts(
    scope: ClinicScope,
    assessment: AssessmentEntity | undefined,
  ): Promise<{ marked: number; points: number }> {
    const concerns = new Set(
      ((assessment?.results as unknown as AssessmentResult | undefined)?.points ?? [])
        .filter((point) => point.kind === 'concern')
        .map((point) => point.ruleId),
    );
    const reviews = assessment
      ? await this.pointReviews.listForAssessment(scope, assessment.id)
      : [];
    const marked = reviews.filter((r) => r.mark !== null && concerns.has(r.pointId)).length;
    return { marked, points: concerns.size };
  }

  /**
   * The intake of an assessment that has this point; 404 otherwise (recorded
   * by DeniedAccessInterceptor on the routes that name the assessment).
   */
  async intakeOfAssessment(
    scope: ClinicScope,
    assessmentId: string,
    pointId: string,
  ): Promise<string> {
    const assessment = await this.assessments.findById(scope, assessmentId);
    const points = (assessment?.results as unknown as AssessmentResult | undefined)?.points ?? [];
    if (!assessment || !points.some((point) => point.ruleId === pointId))
      throw DomainError.notFound('The discussion point');
    return assessment.intakeId;
  }

  /**
   * Records the mark and note of one point. A point the assessment does not
   * have is 404, like another clinic's assessment. Clearing both removes the
   * record. Returns the intake the assessment belongs to.
   */
  async markPoint(
    scope: ClinicScope,
    assessmentId: string,
    pointId: string,
    dto: PointReviewDto,
    meta: RequestMeta,
  ): Promise<string> {
    const intakeId = await this.intakeOfAssessment(scope, assessmentId, pointId);
    const mark = dto.mark ?? null;
    const values = {
      mark,
      reason: mark === 'not_relevant' ? (dto.reason ?? null) : null,
      note: dto.note ?? null,
    };
    await this.dataSource.transaction(async (manager) => {
      if (values.mark === null && values.note === null)
        await this.pointReviews.clear(scope, assessmentId, pointId, manager);
      else await this.pointReviews.save(scope, assessmentId, pointId, values, manager);
      await this.record(
        scope,
        meta,
        'point.review',
        'assessment',
        assessmentId,
        undefined,
        {
          pointId,
          mark: values.mark ?? 'none',
          note: values.note !== null,
        },
        manager,
      );
    });
    // The take-home and the guide follow the marks: make the new ones before they are asked for.
    await this.handouts.ahead(scope.clinicId, assessmentId, `mark-${randomUUID()}`);
    return intakeId;
  }

  /**
   * Closes the review of a submitted intake; doing it twice changes nothing.
   * While some discussion points of its newest assessment are unmarked, it
   * closes only when `unmarkedConfirmed`; the answer says how many were marked.
   * The audit event and the `review.completed` webhook deliveries are written
   * in the transaction that closes it.
   */
  async completeReview(
    scope: ClinicScope,
    intakeId: string,
    meta: RequestMeta,
    unmarkedConfirmed = true,
  ): Promise<{ completed: boolean; marked: number; points: number }> {
    const intake = await this.intakes.findById(scope, intakeId);
    if (!intake) throw DomainError.notFound('The intake');
    if (intake.status === 'in_progress') {
      throw new DomainError(ErrorCode.Conflict, 'This intake has not been submitted yet.');
    }
    const counts = await this.markCounts(scope, await this.latestAssessment(scope, intakeId));
    const { marked, points } = counts;
    if (intake.status === 'reviewed') return { completed: true, ...counts };
    if (marked < points && !unmarkedConfirmed) return { completed: false, ...counts };
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.intakes.markReviewed(scope, intakeId, this.clock.now(), manager))) return;
      await this.record(
        scope,
        meta,
        'intake.review',
        'intake',
        intakeId,
        intake.patientId,
        { marked: String(marked), points: String(points) },
        manager,
      );
      await this.webhooks.emit(manager, scope.clinicId, {
        type: 'review.completed',
        data: { intakeId, patientId: intake.patientId },
      });
    });
    return { completed: true, ...counts };
  }

  private record(
    scope: ClinicScope,
    meta: RequestMeta,
    action: AuditAction,
    targetType: string,
    targetId: string,
    /** Left out: the target's patient, found as the event is written. */
    patientId: string | undefined,
    detail: Record<string, string | boolean> = {},
    manager?: EntityManager,
  ): Promise<void> {
    return this.audit.recordByUser(
      scope,
      meta,
      { action, targetType, targetId, patientId, outcome: 'success', detail },
      manager,
    );
  }
}
