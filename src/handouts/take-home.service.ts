import { Injectable } from '@nestjs/common';
import type { PatientActor, RequestMeta } from '../auth/actor';
import { AssessmentRepository } from '../assessments/assessment.repository';
import { AuditAction } from '../audit/audit-actions';
import { AuditEvent, AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError } from '../common/domain-error';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { PaperSize } from './handout.entity';
import { HandoutRefusedError, HandoutMaker } from './handout-maker';
import type { HandoutView } from './handout-view';
import { HandoutFile, HandoutsService } from './handouts.service';

/** The patient's take-home notes: only once the clinician has completed the review. */
export type TakeHome =
  | { readonly ready: false }
  | { readonly ready: true; readonly assessmentId: string; readonly notes: HandoutView };

/**
 * The patient's take-home notes on their own link, after the visit. They are
 * the patient notes handout of the intake's newest assessment, from the same
 * model and the same rules as the PDF (HandoutMaker), so the page and the
 * PDF never disagree. A patient reaches only the intake of the link their
 * session was opened with, and only once its review is complete; every
 * reading and download is audited as the patient's, tied to the patient.
 */
@Injectable()
export class TakeHomeService {
  constructor(
    private readonly intakes: ClinicIntakeRepository,
    private readonly assessments: AssessmentRepository,
    private readonly maker: HandoutMaker,
    private readonly handouts: HandoutsService,
    private readonly audit: AuditService,
  ) {}

  /** The notes once the review is complete (audited); `ready: false` before. */
  async notes(patient: PatientActor, meta: RequestMeta): Promise<TakeHome> {
    const assessmentId = await this.reviewedAssessment(patient);
    if (!assessmentId) return { ready: false };
    let notes: HandoutView;
    try {
      notes = await this.maker.patientNotes(scopeOf(patient), assessmentId);
    } catch (error) {
      if (error instanceof HandoutRefusedError)
        await this.record(patient, meta, 'takehome.view', assessmentId, 'failure', {
          refused: true,
        });
      throw error;
    }
    await this.record(patient, meta, 'takehome.view', assessmentId, 'success', {});
    return { ready: true, assessmentId, notes };
  }

  /** The patient notes PDF; not found (and recorded as refused) before the review is complete. */
  async download(patient: PatientActor, paper: PaperSize, meta: RequestMeta): Promise<HandoutFile> {
    const assessmentId = await this.reviewedAssessment(patient);
    if (!assessmentId) {
      await this.audit.record({
        ...this.event(patient, meta, 'takehome.download', 'denied', { paper }),
        targetType: 'invitation',
        targetId: patient.invitationId,
      });
      throw DomainError.notFound('Your notes');
    }
    let file: HandoutFile;
    try {
      file = await this.handouts.file(scopeOf(patient), null, assessmentId, 'patient', paper);
    } catch (error) {
      if (error instanceof HandoutRefusedError)
        await this.record(patient, meta, 'takehome.download', assessmentId, 'failure', {
          paper,
          refused: true,
        });
      throw error;
    }
    await this.record(patient, meta, 'takehome.download', assessmentId, 'success', {
      paper,
      stored: file.stored,
    });
    return file;
  }

  /**
   * The assessment the clinician reviewed, once the review is complete: the
   * newest made before it was completed. One made later (assessed again under
   * a newer ruleset) carries none of the review's marks, so it would bring
   * back the points the clinician set aside.
   */
  private async reviewedAssessment(patient: PatientActor): Promise<string | undefined> {
    const scope = scopeOf(patient);
    const intake = await this.intakes.findForInvitation(scope, patient.invitationId);
    if (intake?.status !== 'reviewed' || intake.patientId !== patient.patientId) return undefined;
    const reviewedAt = intake.reviewedAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const assessments = await this.assessments.listForIntake(scope, intake.id);
    return assessments.find((a) => a.createdAt.getTime() <= reviewedAt)?.id;
  }

  private record(
    patient: PatientActor,
    meta: RequestMeta,
    action: AuditAction,
    assessmentId: string,
    outcome: 'success' | 'failure',
    detail: Record<string, string | boolean>,
  ): Promise<void> {
    return this.audit.record({
      ...this.event(patient, meta, action, outcome, detail),
      targetType: 'assessment',
      targetId: assessmentId,
    });
  }

  private event(
    patient: PatientActor,
    meta: RequestMeta,
    action: AuditAction,
    outcome: 'success' | 'failure' | 'denied',
    detail: Record<string, string | boolean>,
  ): AuditEvent {
    return {
      clinicId: patient.clinicId,
      actorType: 'patient',
      actorId: patient.invitationId,
      action,
      patientId: patient.patientId,
      outcome,
      ...meta,
      detail,
    };
  }
}

/**
 * The patient's clinic, from their link's session (the only other source of a
 * scope than a signed-in clinician); no user acts.
 */
function scopeOf(patient: PatientActor): ClinicScope {
  return { clinicId: patient.clinicId, userId: '' };
}
