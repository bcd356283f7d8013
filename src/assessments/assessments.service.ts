import { Inject, Injectable } from '@nestjs/common';
import { RequestMeta } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { SqlParams } from '../common/sql-params';
import { Answers } from '../content/schema/questionnaire.schema';
import { IntakeEntity } from '../intakes/intake.entity';
import { AssessmentResult, evaluate } from '../rules/evaluate';
import { KnowledgeBase } from '../content/check-knowledge-base';
import { Content } from '../content/content';
import { KNOWLEDGE_BASE } from '../content/content.module';
import { AssessmentEntity } from './assessment.entity';
import { AssessmentRepository } from './assessment.repository';

/** Runs the rules over submitted intakes and keeps every result, one per ruleset version. */
@Injectable()
export class AssessmentsService {
  constructor(
    @Inject(KNOWLEDGE_BASE) private readonly kb: KnowledgeBase,
    private readonly content: Content,
    private readonly assessments: AssessmentRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  get rulesetVersion(): string {
    return this.kb.version;
  }

  /** The rules' result for a submitted intake. Pure: no I/O. */
  resultFor(
    intake: Pick<IntakeEntity, 'questionnaireVersion' | 'answers' | 'scores' | 'protocol'>,
  ): AssessmentResult {
    return evaluate(this.kb, {
      questionnaire: this.content.questionnaireVersion(intake.questionnaireVersion),
      answers: intake.answers as Answers,
      scores: intake.scores ?? {},
      protocol: intake.protocol,
    });
  }

  /**
   * The INSERT of a just-submitted intake's assessment, as part of the
   * submission's statement (see IntakeService.submit).
   */
  insertOnSubmitSql(
    intake: Pick<IntakeEntity, 'id' | 'clinicId' | 'questionnaireVersion' | 'answers' | 'protocol'>,
    scores: Record<string, unknown>,
    params: SqlParams,
  ): string {
    const result = this.resultFor({ ...intake, scores });
    return this.assessments.insertSql(
      {
        clinicId: intake.clinicId,
        intakeId: intake.id,
        rulesetVersion: result.rulesetVersion,
        results: result as unknown as Record<string, unknown>,
        flaggedPillars: [...result.flaggedPillars],
        createdAt: this.clock.now(),
      },
      params,
    );
  }

  list(scope: ClinicScope, intakeId: string): Promise<AssessmentEntity[]> {
    return this.assessments.listForIntake(scope, intakeId);
  }

  /**
   * Assesses a submitted intake with the current ruleset. Earlier assessments
   * (older rulesets) stay as they were; a second call for the same version
   * returns the existing one.
   */
  async recompute(
    scope: ClinicScope,
    intake: IntakeEntity,
    meta: RequestMeta,
  ): Promise<AssessmentEntity> {
    if (intake.status === 'in_progress' || !intake.scores) {
      throw new DomainError(ErrorCode.Conflict, 'This intake has not been submitted yet.');
    }
    const result = this.resultFor(intake);
    const added = await this.assessments.insertOnce({
      clinicId: scope.clinicId,
      intakeId: intake.id,
      rulesetVersion: result.rulesetVersion,
      results: result as unknown as Record<string, unknown>,
      flaggedPillars: [...result.flaggedPillars],
      createdAt: this.clock.now(),
    });
    const stored = await this.assessments.findForRuleset(scope, intake.id, result.rulesetVersion);
    if (!stored) throw new Error('Assessment missing right after insert');
    await this.audit.recordByUser(scope, meta, {
      action: 'assessment.recompute',
      targetType: 'assessment',
      targetId: stored.id,
      patientId: intake.patientId,
      outcome: 'success',
      detail: { intakeId: intake.id, rulesetVersion: result.rulesetVersion, added },
    });
    return stored;
  }
}
