import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { validateForm } from '../common/form-validation';
import { IdParamPipe } from '../common/id-param.pipe';
import { PointReviewDto } from '../reviews/point-review.dto';
import { ReviewsService } from '../reviews/reviews.service';
import { Pages } from '../views/pages';
import { intakeReviewView, PointFormState } from './intake-review-view';

/** Reviewing one intake: its scores, points (with marks and notes), answers and handouts. */
@ApiExcludeController()
@Controller()
export class IntakePageController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly pages: Pages,
  ) {}

  @Get('intakes/:id')
  async show(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const review = await this.reviews.intakeReview(scope, id, meta);
    this.pages.send(req, res, 'intake', intakeReviewView(review));
  }

  @Post('assessments/:id/points/:pointId')
  async markPoint(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) assessmentId: string,
    @Param('pointId') pointId: string,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { value, problems } = validateForm(PointReviewDto, body);
    if (problems.length > 0) {
      // Shown again on the review page, next to the point, with what was typed.
      const intakeId = await this.reviews.intakeOfAssessment(scope, assessmentId, pointId, meta);
      const review = await this.reviews.intakeReview(scope, intakeId, meta);
      const refused: PointFormState = {
        pointId,
        mark: value.mark,
        reason: value.reason,
        note: value.note,
        problems: problems.map((problem) => ({
          field: `${problem.field}-${pointId}`,
          message: problem.message,
        })),
      };
      return this.pages.send(req, res, 'intake', intakeReviewView(review, refused), 400);
    }
    const intakeId = await this.reviews.markPoint(scope, assessmentId, pointId, value, meta);
    res.redirect(303, `/intakes/${intakeId}#point-${pointId.replace(/[^\w-]/g, '-')}`);
  }

  @Post('intakes/:id/review')
  async complete(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Res() res: Response,
  ): Promise<void> {
    await this.reviews.completeReview(scope, id, meta);
    res.redirect(303, `/intakes/${id}`);
  }
}
