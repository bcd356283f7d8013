import { Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type {
  Bundle,
  CapabilityStatement,
  Observation,
  OperationOutcome,
  OperationOutcomeIssue,
  Patient,
  Questionnaire,
  QuestionnaireResponse,
} from '@medplum/fhirtypes';
import { AssessmentRepository } from '../assessments/assessment.repository';
import { RequestMeta } from '../auth/actor';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Content } from '../content/content';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { IntakeEntity } from '../intakes/intake.entity';
import { PatientRepository } from '../patients/patient.repository';
import { PointReviewRepository } from '../reviews/point-review.repository';
import type { AssessmentResult } from '../rules/evaluate';
import {
  capabilityStatement,
  cdsCards,
  CdsResponse,
  everythingBundle,
  FhirBase,
  fhirBase,
  mapObservations,
  mapPatient,
  mapQuestionnaireResponse,
  mapQuestionnaires,
  searchBundle,
} from './index';

/** What `?patient=` and `?subject=` may say: an id, or `Patient/<id>`. */
const PATIENT_REFERENCE = /^(?:Patient\/)?(.+)$/;

/**
 * The read-only FHIR R4 server's work: each request's records read through
 * the clinic's scope (another clinic's are not found), mapped by the pure
 * mappers of this folder, and audited as the pages' reads are. Only sent
 * intakes are QuestionnaireResponses; one in progress is not there yet.
 */
@Injectable()
export class FhirService {
  readonly base: FhirBase;
  private readonly questionnaires: Questionnaire[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly content: Content,
    private readonly patients: PatientRepository,
    private readonly intakes: ClinicIntakeRepository,
    private readonly assessments: AssessmentRepository,
    private readonly marks: PointReviewRepository,
    private readonly audit: AuditService,
  ) {
    this.base = fhirBase(`${config.publicUrl}/fhir`);
    this.questionnaires = mapQuestionnaires(this.base, content.questionnaires);
  }

  metadata(): CapabilityStatement {
    return capabilityStatement(this.base, { name: 'hormone-lifestyle-intake', version: '0.1.0' });
  }

  /** Every questionnaire version, or the one at `url` (with `|version` if given). */
  searchQuestionnaires(url?: unknown): Bundle {
    if (url !== undefined && typeof url !== 'string') {
      const message = 'url must be given once.';
      throw new DomainError(ErrorCode.ValidationFailed, message, [{ field: 'url', message }]);
    }
    const [canonical, version] = (url ?? '').split('|');
    return searchBundle(
      this.base,
      this.questionnaires.filter(
        (q) => (!canonical || q.url === canonical) && (!version || q.version === version),
      ),
    );
  }

  questionnaire(id: string): Questionnaire {
    const found = this.questionnaires.find((q) => q.id === id);
    if (!found) throw DomainError.notFound('The Questionnaire');
    return found;
  }

  async patient(scope: ClinicScope, id: string, meta: RequestMeta): Promise<Patient> {
    const patient = await this.patients.findById(scope, id);
    if (!patient) throw DomainError.notFound('The Patient');
    await this.record(scope, meta, 'patient.view', 'patient', id, id, 'Patient');
    return mapPatient(this.base, patient);
  }

  async searchPatients(scope: ClinicScope, id: string, meta: RequestMeta): Promise<Bundle> {
    const patient = await this.patients.findById(scope, id);
    if (patient) await this.record(scope, meta, 'patient.view', 'patient', id, id, 'Patient');
    return searchBundle(this.base, patient ? [mapPatient(this.base, patient)] : []);
  }

  async questionnaireResponse(
    scope: ClinicScope,
    id: string,
    meta: RequestMeta,
  ): Promise<QuestionnaireResponse> {
    const intake = await this.sentIntake(scope, id);
    await this.record(
      scope,
      meta,
      'intake.view',
      'intake',
      id,
      intake.patientId,
      'QuestionnaireResponse',
    );
    return this.responseOf(intake);
  }

  async observation(scope: ClinicScope, id: string, meta: RequestMeta): Promise<Observation> {
    const intakeId = id.slice(0, 36); // see mapObservations
    const intake = await this.sentIntake(scope, intakeId);
    const found = mapObservations(this.base, intake).find((observation) => observation.id === id);
    if (!found) throw DomainError.notFound('The Observation');
    await this.record(
      scope,
      meta,
      'intake.view',
      'intake',
      intakeId,
      intake.patientId,
      'Observation',
    );
    return found;
  }

  /** `?patient=` (or `?subject=`): the patient's sent intakes as responses, or their scores. */
  async searchByPatient(
    scope: ClinicScope,
    reference: unknown,
    kind: 'QuestionnaireResponse' | 'Observation',
    meta: RequestMeta,
    questionnaire?: unknown,
  ): Promise<Bundle> {
    const patientId = this.patientOf(reference);
    // Another clinic's patient (or none) matches nothing, and is not recorded as read.
    if (!(await this.patients.findById(scope, patientId))) return searchBundle(this.base, []);
    const answered = this.questionnaireFilter(questionnaire);
    const sent = (await this.sentIntakesOf(scope, patientId)).filter(answered);
    await this.record(scope, meta, 'intake.list', 'patient', patientId, patientId, kind);
    return searchBundle(
      this.base,
      kind === 'QuestionnaireResponse'
        ? sent.map((intake) => this.responseOf(intake))
        : sent.flatMap((intake) => mapObservations(this.base, intake)),
    );
  }

  /** `Patient/{id}/$everything`: the patient, their responses and scores, and the questionnaires. */
  async everything(scope: ClinicScope, patientId: string, meta: RequestMeta): Promise<Bundle> {
    const patient = await this.patients.findById(scope, patientId);
    if (!patient) throw DomainError.notFound('The Patient');
    const sent = await this.sentIntakesOf(scope, patientId);
    await this.record(scope, meta, 'patient.view', 'patient', patientId, patientId, '$everything');
    return everythingBundle(this.base, {
      patient: mapPatient(this.base, patient),
      responses: sent.map((intake) => this.responseOf(intake)),
      observations: sent.flatMap((intake) => mapObservations(this.base, intake)),
      questionnaires: this.questionnaires,
    });
  }

  /**
   * The CDS Hooks cards for a patient: the discussion points of their
   * latest sent intake's newest assessment, without the ones a clinician
   * marked not relevant, each saying when the intake was sent and whether
   * it was reviewed (a point marked discussed is lowered to information).
   * 404 for a patient the clinic does not have: an empty answer would read
   * as "no concerns". No cards before a first intake is sent.
   */
  async cards(scope: ClinicScope, patientId: string, meta: RequestMeta): Promise<CdsResponse> {
    if (!(await this.patients.findById(scope, patientId)))
      throw DomainError.notFound('The Patient');
    const [latest] = (await this.sentIntakesOf(scope, patientId)).sort(
      (a, b) => b.submittedAt!.getTime() - a.submittedAt!.getTime(),
    );
    if (!latest) return { cards: [] };
    const [assessment] = await this.assessments.listForIntake(scope, latest.id);
    if (!assessment) return { cards: [] };
    const marks = await this.marks.listForAssessment(scope, assessment.id);
    const left = new Set(marks.filter((m) => m.mark === 'not_relevant').map((m) => m.pointId));
    const points = (assessment.results as unknown as AssessmentResult).points.filter(
      (point) => point.kind === 'concern' && !left.has(point.ruleId),
    );
    await this.record(scope, meta, 'assessment.view', 'intake', latest.id, patientId, 'cds-hooks');
    return cdsCards(points, `${this.config.publicUrl}/knowledge`, {
      sentAt: latest.submittedAt!,
      questionnaireVersion: latest.questionnaireVersion,
      rulesetVersion: assessment.rulesetVersion,
      reviewedAt: latest.reviewedAt,
      discussed: new Map(
        marks.filter((m) => m.mark === 'discussed').map((m) => [m.pointId, m.updatedAt]),
      ),
    });
  }

  /** A FHIR error body for the product's error. */
  static outcome(code: OperationOutcomeIssue['code'], message: string): OperationOutcome {
    return {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code, diagnostics: message }],
    };
  }

  private responseOf(intake: IntakeEntity): QuestionnaireResponse {
    return mapQuestionnaireResponse(
      this.base,
      intake,
      this.content.questionnaireVersion(intake.questionnaireVersion),
    );
  }

  private async sentIntake(scope: ClinicScope, id: string): Promise<IntakeEntity> {
    const intake = isUUID(id) ? await this.intakes.findById(scope, id) : null;
    if (!intake || intake.status === 'in_progress') {
      throw DomainError.notFound('The QuestionnaireResponse');
    }
    return intake;
  }

  private async sentIntakesOf(scope: ClinicScope, patientId: string): Promise<IntakeEntity[]> {
    return (await this.intakes.listForPatient(scope, patientId)).filter(
      (intake) => intake.status !== 'in_progress',
    );
  }

  /**
   * `?questionnaire=`: the canonical URL, with `|version` or without (every
   * version), or a Questionnaire's id; anything else is refused (400).
   */
  private questionnaireFilter(questionnaire: unknown): (intake: IntakeEntity) => boolean {
    if (questionnaire === undefined) return () => true;
    const wanted =
      typeof questionnaire === 'string'
        ? this.questionnaires.filter(
            (q) =>
              q.id === questionnaire ||
              q.url === questionnaire ||
              `${q.url}|${q.version}` === questionnaire ||
              `Questionnaire/${q.id}` === questionnaire,
          )
        : [];
    if (wanted.length === 0) {
      const message =
        'questionnaire must name one of the server’s Questionnaires (url, url|version or id).';
      throw new DomainError(ErrorCode.ValidationFailed, message, [
        { field: 'questionnaire', message },
      ]);
    }
    const versions = new Set(wanted.map((q) => q.version));
    return (intake) => versions.has(intake.questionnaireVersion);
  }

  private patientOf(reference: unknown): string {
    const id = typeof reference === 'string' ? PATIENT_REFERENCE.exec(reference)?.[1] : undefined;
    if (!id || !isUUID(id)) {
      const message = 'Search by patient: ?patient=<id> or ?patient=Patient/<id>.';
      throw new DomainError(ErrorCode.ValidationFailed, message, [{ field: 'patient', message }]);
    }
    return id;
  }

  private record(
    scope: ClinicScope,
    meta: RequestMeta,
    action: AuditAction,
    targetType: string,
    targetId: string,
    patientId: string,
    resource: string,
  ): Promise<void> {
    return this.audit.recordByUser(scope, meta, {
      action,
      targetType,
      targetId,
      patientId,
      outcome: 'success',
      detail: { fhir: resource },
    });
  }
}
