import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { AuditedRoute } from '../audit/audited-route';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ApiEndpoint } from '../common/api-endpoint';
import {
  INTAKE_RECORD_EXAMPLE,
  INTAKE_SUMMARY_EXAMPLE,
  POINT_MARK_BODY_EXAMPLE,
  POINT_MARK_EXAMPLE,
  REVIEW_COMPLETION_EXAMPLE,
} from '../common/api-examples';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode } from '../common/domain-error';
import { IdParamPipe } from '../common/id-param.pipe';
import {
  IntakeRecordDto,
  IntakeSummaryDto,
  mapIntakeRecord,
  mapIntakeSummary,
  mapPointMark,
  PointMarkDto,
  ReviewCompletionDto,
  unmarkedPoint,
} from './intake-record.dto';
import { PointReviewDto } from './point-review.dto';
import { ReviewsService } from './reviews.service';

export class ReviewCompleteDto {
  @ApiProperty({
    required: false,
    description:
      'Complete it although some discussion points are unmarked (unmarked points stay in both handouts). Without it, such a review is refused with 409.',
  })
  @IsOptional()
  @IsBoolean({ message: 'confirmUnmarked must be true or false' })
  confirmUnmarked?: boolean;
}

/**
 * What the clinic's pages do with intakes, for its other systems: a
 * patient's intakes, one intake's answers and scores, marking and noting a
 * discussion point, completing the review. Every read and change is audited
 * as the pages' are.
 */
@ApiTags('intakes')
@Controller('api')
export class IntakesApiController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get('patients/:patientId/intakes')
  @AuditedRoute('intake.list', 'patient', 'patientId')
  @ApiEndpoint({
    summary: "A patient's intakes",
    description: 'Oldest first, in progress ones included; no answers (read one intake for them).',
    scope: 'intakes:read',
    ok: { type: [IntakeSummaryDto], description: 'The intakes', example: [INTAKE_SUMMARY_EXAMPLE] },
    errors: [ErrorCode.NotFound],
  })
  async list(
    @Scope() scope: ClinicScope,
    @Param('patientId', IdParamPipe) patientId: string,
    @Meta() meta: RequestMeta,
  ): Promise<IntakeSummaryDto[]> {
    return (await this.reviews.patientIntakes(scope, patientId, meta)).map(mapIntakeSummary);
  }

  @Get('intakes/:id')
  @AuditedRoute('intake.view', 'intake')
  @ApiEndpoint({
    summary: 'One intake: its answers and scores',
    description:
      'The answers as given, by section and question id (a blank question is absent), the questionnaire version they answer, and once sent the instruments’ scores. The same data as FHIR QuestionnaireResponse and Observations under /fhir.',
    scope: 'intakes:read',
    ok: { type: IntakeRecordDto, description: 'The intake', example: INTAKE_RECORD_EXAMPLE },
    errors: [ErrorCode.NotFound],
  })
  async get(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<IntakeRecordDto> {
    return mapIntakeRecord((await this.reviews.intakeReview(scope, id, meta)).intake);
  }

  @Put('assessments/:id/points/:pointId')
  @AuditedRoute('point.review', 'assessment')
  @ApiEndpoint({
    summary: 'Mark and note a discussion point',
    description:
      'Sets the mark (`discussed`, `not_relevant` with a reason, or none) and the note of one point of an assessment, replacing what was there; sending neither clears it. A point marked not relevant leaves the patient’s notes. The audit event says which point and mark, never the note’s words.',
    scope: 'reviews:write',
    body: { type: PointReviewDto, example: POINT_MARK_BODY_EXAMPLE },
    ok: {
      type: PointMarkDto,
      description: 'The point’s mark and note now',
      example: POINT_MARK_EXAMPLE,
    },
    errors: [ErrorCode.ValidationFailed, ErrorCode.NotFound],
  })
  async mark(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Param('pointId') pointId: string,
    @Body() dto: PointReviewDto,
    @Meta() meta: RequestMeta,
  ): Promise<PointMarkDto> {
    await this.reviews.markPoint(scope, id, pointId, dto, meta);
    const mark = (await this.reviews.marks(scope, id)).find((review) => review.pointId === pointId);
    return mark ? mapPointMark(mark) : unmarkedPoint(pointId);
  }

  @Post('intakes/:id/review')
  @HttpCode(HttpStatus.OK)
  @AuditedRoute('intake.review', 'intake')
  @ApiEndpoint({
    summary: 'Complete the review of a sent intake',
    description:
      'Closes the review; doing it again changes nothing. While discussion points are unmarked it is refused (409) unless `confirmUnmarked` is true. After it, the patient’s link shows their take-home notes.',
    scope: 'reviews:write',
    body: { type: ReviewCompleteDto, example: { confirmUnmarked: true } },
    ok: { type: ReviewCompletionDto, description: 'Completed', example: REVIEW_COMPLETION_EXAMPLE },
    errors: [ErrorCode.ValidationFailed, ErrorCode.NotFound, ErrorCode.Conflict],
  })
  async complete(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Body() dto: ReviewCompleteDto,
    @Meta() meta: RequestMeta,
  ): Promise<ReviewCompletionDto> {
    const done = await this.reviews.completeReview(scope, id, meta, dto.confirmUnmarked === true);
    if (!done.completed) {
      throw new DomainError(
        ErrorCode.Conflict,
        `${done.points - done.marked} of ${done.points} discussion points are unmarked: mark them, or send confirmUnmarked: true.`,
      );
    }
    return done;
  }
}
