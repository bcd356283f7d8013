import { Controller, Get, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { AuditedRoute } from '../audit/audited-route';
import { AuditService } from '../audit/audit.service';
import { ApiEndpoint } from '../common/api-endpoint';
import { ASSESSMENT_EXAMPLE } from '../common/api-examples';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode } from '../common/domain-error';
import { IdParamPipe } from '../common/id-param.pipe';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { AssessmentResponseDto, mapAssessment } from './assessment.dto';
import { ReviewsService } from '../reviews/reviews.service';
import { AssessmentsService } from './assessments.service';

@ApiTags('assessments')
@Controller('api/intakes/:intakeId/assessments')
export class AssessmentsController {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly intakes: ClinicIntakeRepository,
    private readonly audit: AuditService,
    private readonly reviews: ReviewsService,
  ) {}

  /** Every assessment of the intake, newest first (one per ruleset version), with its marks. */
  @Get()
  @AuditedRoute('assessment.view', 'intake', 'intakeId')
  @ApiEndpoint({
    summary: "An intake's assessments, with their points and marks",
    description:
      'Newest first (one per ruleset version): the discussion points and strengths with their sources and the answers behind them, the flagged and thinly answered pillars, and the clinicians’ marks and notes on the points.',
    scope: 'intakes:read',
    ok: {
      type: [AssessmentResponseDto],
      description: 'The assessments',
      example: [ASSESSMENT_EXAMPLE],
    },
    errors: [ErrorCode.NotFound],
  })
  async list(
    @Scope() scope: ClinicScope,
    @Param('intakeId', IdParamPipe) intakeId: string,
    @Meta() meta: RequestMeta,
  ): Promise<AssessmentResponseDto[]> {
    const intake = await this.intakes.findById(scope, intakeId);
    if (!intake) throw DomainError.notFound('The intake');
    const found = await this.assessments.list(scope, intakeId);
    await this.audit.recordByUser(scope, meta, {
      action: 'assessment.view',
      targetType: 'intake',
      targetId: intakeId,
      patientId: intake.patientId,
      outcome: 'success',
      detail: { count: found.length },
    });
    return Promise.all(
      found.map(async (assessment) =>
        mapAssessment(assessment, await this.reviews.marks(scope, assessment.id)),
      ),
    );
  }

  /** Assess again with the current ruleset; earlier assessments are kept. */
  @Post()
  @AuditedRoute('assessment.recompute', 'intake', 'intakeId')
  @ApiEndpoint({
    summary: 'Assess an intake again',
    description:
      'With the current ruleset, when it changed since; earlier assessments and their marks are kept. Assessing again with the same ruleset gives the same assessment.',
    scope: 'reviews:write',
    ok: {
      status: HttpStatus.CREATED,
      type: AssessmentResponseDto,
      description: 'The assessment',
      example: { ...ASSESSMENT_EXAMPLE, marks: [] },
    },
    errors: [ErrorCode.NotFound, ErrorCode.Conflict],
  })
  async recompute(
    @Scope() scope: ClinicScope,
    @Param('intakeId', IdParamPipe) intakeId: string,
    @Meta() meta: RequestMeta,
  ): Promise<AssessmentResponseDto> {
    const intake = await this.intakes.findById(scope, intakeId);
    if (!intake) throw DomainError.notFound('The intake');
    const assessment = await this.assessments.recompute(scope, intake, meta);
    return mapAssessment(assessment, await this.reviews.marks(scope, assessment.id));
  }
}
