import { Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { AuditedRoute } from '../audit/audited-route';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError } from '../common/domain-error';
import { IdParamPipe } from '../common/id-param.pipe';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { AssessmentResponseDto, mapAssessment } from './assessment.dto';
import { AssessmentsService } from './assessments.service';

@ApiTags('assessments')
@ApiCookieAuth()
@Controller('api/intakes/:intakeId/assessments')
export class AssessmentsController {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly intakes: ClinicIntakeRepository,
    private readonly audit: AuditService,
  ) {}

  /** Every assessment of the intake, newest first (one per ruleset version). */
  @Get()
  @AuditedRoute('assessment.view', 'intake', 'intakeId')
  @ApiOkResponse({ type: [AssessmentResponseDto] })
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
    return found.map(mapAssessment);
  }

  /** Assess again with the current ruleset; earlier assessments are kept. */
  @Post()
  @AuditedRoute('assessment.recompute', 'intake', 'intakeId')
  @ApiCreatedResponse({ type: AssessmentResponseDto })
  async recompute(
    @Scope() scope: ClinicScope,
    @Param('intakeId', IdParamPipe) intakeId: string,
    @Meta() meta: RequestMeta,
  ): Promise<AssessmentResponseDto> {
    const intake = await this.intakes.findById(scope, intakeId);
    if (!intake) throw DomainError.notFound('The intake');
    return mapAssessment(await this.assessments.recompute(scope, intake, meta));
  }
}
