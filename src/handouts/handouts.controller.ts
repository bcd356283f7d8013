import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsIn, IsOptional } from 'class-validator';
import { AuditedRoute } from '../audit/audited-route';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError } from '../common/domain-error';
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
@ApiCookieAuth()
@Controller()
export class HandoutsController {
  constructor(private readonly handouts: HandoutsService) {}

  /** The clinician's discussion guide or the patient's take-home notes, as PDF. */
  @Get(['api/assessments/:id/handouts/:kind', 'assessments/:id/handouts/:kind'])
  @AuditedRoute('handout.download', 'assessment')
  @ApiProduces('application/pdf')
  async download(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Param('kind') kind: string,
    @Query() query: HandoutQueryDto,
    @Meta() meta: RequestMeta,
    @Res() res: Response,
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
