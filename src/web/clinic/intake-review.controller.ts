import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { AuditedRoute } from '../../audit/audited-route';
import { Meta, RequestMeta, Scope, Time } from '../../auth/actor';
import { ClinicTime } from '../../common/clinic-time';
import { ClinicScope } from '../../common/clinic-scope';
import { IdParamPipe } from '../../common/id-param.pipe';
import { PointReviewDto } from '../../reviews/point-review.dto';
import { ReviewsService } from '../../reviews/reviews.service';
import { Form, Page, PageModel, Redirect, redirectTo, takeForm, View } from '../page';
import { Content } from '../../content/content';
import { anchorOf, intakeReviewView, PointFormState } from './intake-review-view';

/** Reviewing one intake: its scores, points (with marks and notes), answers and handouts. */
@Controller()
export class IntakeReviewController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly content: Content,
  ) {}

  @Get('intakes/:id')
  @AuditedRoute('intake.view', 'intake')
  @Page('clinic/intake-review')
  async show(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Query('confirm') confirm: string | undefined,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<PageModel> {
    const review = await this.reviews.intakeReview(scope, id, meta);
    return intakeReviewView(review, this.content, time, {
      confirmComplete: confirm === 'complete',
    });
  }

  /** A refused mark is shown again next to its point, with what was typed. */
  @Post('assessments/:id/points/:pointId')
  @AuditedRoute('point.review', 'assessment')
  @Form()
  async markPoint(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) assessmentId: string,
    @Param('pointId') pointId: string,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<Redirect> {
    const page = async (problems: PointFormState['problems'], typed: Partial<PointReviewDto>) => {
      const intakeId = await this.reviews.intakeOfAssessment(scope, assessmentId, pointId);
      const review = await this.reviews.intakeReview(scope, intakeId, meta);
      const refused: PointFormState = {
        pointId,
        ...typed,
        problems: problems.map((p) => ({ field: `${p.field}-${pointId}`, message: p.message })),
      };
      return new View(
        'clinic/intake-review',
        intakeReviewView(review, this.content, time, { refused }),
      );
    };
    return takeForm(PointReviewDto, body, page, async (dto) => {
      const intakeId = await this.reviews.markPoint(scope, assessmentId, pointId, dto, meta);
      return redirectTo(`/intakes/${intakeId}#${anchorOf(pointId)}`);
    });
  }

  /** With points left unmarked, the page first asks to confirm (how many are marked). */
  @Post('intakes/:id/review')
  @AuditedRoute('intake.review', 'intake')
  @Form()
  async complete(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Body() body: { confirm?: unknown },
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    const confirmed = body?.confirm === 'yes';
    const { completed } = await this.reviews.completeReview(scope, id, meta, confirmed);
    return redirectTo(completed ? `/intakes/${id}` : `/intakes/${id}?confirm=complete#complete`);
  }
}
