import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsIn, IsOptional } from 'class-validator';
import { AuditedRoute } from '../audit/audited-route';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ApiEndpoint } from '../common/api-endpoint';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode } from '../common/domain-error';
import { IdParamPipe } from '../common/id-param.pipe';
import { HANDOUT_KINDS, HandoutKind, PAPER_SIZES, PaperSize } from './handout.entity';
import { HandoutsService } from './handouts.service';

export class HandoutQueryDto {
  @ApiPropertyOptional({ enum: PAPER_SIZES, default: 'a4' })
  @IsOptional()
  @IsIn(PAPER_SIZES, { message: 'paper must be a4 or letter' })
  paper?: PaperSize;
}

@ApiTags('handouts')
@Controller()
export class HandoutsController {
  constructor(private readonly handouts: HandoutsService) {}

  /** The clinician's discussion guide or the patient's take-home notes, as PDF. */
  @Get('api/assessments/:id/handouts/:kind')
  @AuditedRoute('handout.download', 'assessment')
  @ApiEndpoint({
    summary: 'A handout as PDF',
    description:
      '`kind` is `clinician` (the discussion guide) or `patient` (the take-home notes, the points marked not relevant left out), on A4 or Letter (`paper`). Made ahead when the intake is sent or a mark changes; while one is being made this waits up to 25 seconds, then answers 503 with Retry-After.',
    scope: 'handouts:read',
    produces: 'application/pdf',
    ok: { description: 'The PDF', example: '%PDF-1.7 …' },
    errors: [
      ErrorCode.ValidationFailed,
      ErrorCode.NotFound,
      ErrorCode.HandoutRefused,
      ErrorCode.Unavailable,
    ],
  })
  download(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Param('kind') kind: string,
    @Query() query: HandoutQueryDto,
    @Meta() meta: RequestMeta,
    @Res() res: Response,
  ): Promise<void> {
    return this.send(scope, id, kind, query, meta, res);
  }

  /** The same, as the clinician's pages link to it. */
  @Get('assessments/:id/handouts/:kind')
  @AuditedRoute('handout.download', 'assessment')
  @ApiExcludeEndpoint()
  downloadFromPage(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Param('kind') kind: string,
    @Query() query: HandoutQueryDto,
    @Meta() meta: RequestMeta,
    @Res() res: Response,
  ): Promise<void> {
    return this.send(scope, id, kind, query, meta, res);
  }

  private async send(
    scope: ClinicScope,
    id: string,
    kind: string,
    query: HandoutQueryDto,
    meta: RequestMeta,
    res: Response,
  ): Promise<void> {
    if (!(HANDOUT_KINDS as readonly string[]).includes(kind))
      throw DomainError.notFound('That handout');
    const file = await this.handouts.get(scope, id, kind as HandoutKind, query.paper ?? 'a4', meta);
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('Content-Length', String(file.pdf.length));
    res.end(file.pdf);
  }
}
