import { Body, Controller, Get, Headers, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPatient, Meta, PatientActor, Public, RequestMeta } from '../../auth/actor';
import { Cookies } from '../../auth/cookies';
import { Csrf } from '../../auth/csrf';
import { DomainError, ErrorCode, HTTP_STATUS_BY_CODE } from '../../common/domain-error';
import { Pages } from '../../views/pages';
import { reviewView, stepView } from './intake-view';
import { IntakeService } from '../../intake/intake.service';
import {
  LinkError,
  LinkProblem,
  PatientSessionService,
} from '../../intake/patient-session.service';
import { PatientGuard } from '../../intake/patient-session.middleware';

const LINK_PROBLEMS: Record<LinkProblem, { status: number; title: string; message: string }> = {
  unknown: {
    status: 404,
    title: 'This link does not work',
    message:
      'Check that you opened the whole link from your clinic. If it still does not work, ask your clinic for a new one.',
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    message:
      'Please contact your clinic and ask for a new link. Anything you already answered is kept.',
  },
  revoked: {
    status: 410,
    title: 'This link is no longer active',
    message:
      'Your clinic has withdrawn this link. Please contact your clinic if you still need to answer.',
  },
};

interface LinkProblemPage {
  readonly status: number;
  readonly title: string;
  readonly message: string;
  readonly retryAfter?: number;
}

/**
 * The page for a link that cannot be opened. A throttled address gets a page
 * too when it asks for HTML; otherwise the error filter answers in JSON (with
 * Retry-After either way).
 */
function linkProblemPage(error: unknown, req: Request): LinkProblemPage | undefined {
  if (error instanceof LinkError) return LINK_PROBLEMS[error.problem];
  const throttled = error instanceof DomainError && error.code === ErrorCode.TooManyAttempts;
  if (!throttled || req.accepts(['html', 'json']) !== 'html') return undefined;
  return {
    status: HTTP_STATUS_BY_CODE[error.code],
    title: 'Too many attempts',
    message: error.message,
    retryAfter: error.retryAfter,
  };
}

/**
 * The patient's pages: open the link, one step per section, review, submit.
 * Every step posts a plain form (works without JavaScript); with JavaScript,
 * the same endpoint saves as the patient types (X-Autosave).
 */
@ApiExcludeController()
@Public()
@Controller()
export class IntakePagesController {
  constructor(
    private readonly sessions: PatientSessionService,
    private readonly intakes: IntakeService,
    private readonly pages: Pages,
    private readonly cookies: Cookies,
    private readonly csrf: Csrf,
  ) {}

  /** The invitation link: trade the token for a cookie, then leave the token-bearing URL. */
  @Get('i/:token')
  async openLink(
    @Param('token') token: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const opened = await this.sessions.openLink(token, meta);
      await this.intakes.open(opened.patient);
      res.cookie(this.cookies.intake, opened.token, this.cookies.options());
      req.patient = opened.patient;
      this.csrf.rotate(req, res);
      res.redirect(303, '/intake');
    } catch (error) {
      const problem = linkProblemPage(error, req);
      if (!problem) throw error;
      if (problem.retryAfter) res.setHeader('Retry-After', String(problem.retryAfter));
      this.pages.send(
        req,
        res,
        'patient/link-problem',
        { title: problem.title, message: problem.message },
        problem.status,
        'intake',
      );
    }
  }

  @Get('intake')
  @UseGuards(PatientGuard)
  async resume(@CurrentPatient() patient: PatientActor, @Res() res: Response): Promise<void> {
    const { intake, questionnaire, answers } = await this.intakes.state(patient);
    if (intake.status !== 'in_progress') return res.redirect(303, '/intake/thank-you');
    const untouched = questionnaire.sections.find(
      (s) => !s.questions.some((q) => answers[q.id] !== undefined),
    );
    res.redirect(303, untouched ? `/intake/${untouched.id}` : '/intake/review');
  }

  @Get('intake/review')
  @UseGuards(PatientGuard)
  async review(
    @CurrentPatient() patient: PatientActor,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { intake, questionnaire, answers, progress } = await this.intakes.state(patient);
    if (intake.status !== 'in_progress') return res.redirect(303, '/intake/thank-you');
    this.pages.send(
      req,
      res,
      'patient/check-answers',
      {
        title: 'Check your answers',
        sections: reviewView(questionnaire, answers, patient.protocol),
        progress,
        lastStep: questionnaire.sections.at(-1)?.id,
      },
      200,
      'intake',
    );
  }

  @Post('intake/submit')
  @UseGuards(PatientGuard)
  async submit(
    @CurrentPatient() patient: PatientActor,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.intakes.submit(patient, meta);
      res.redirect(303, '/intake/thank-you');
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.ValidationFailed) throw error;
      const { questionnaire, answers, progress } = await this.intakes.state(patient);
      this.pages.send(
        req,
        res,
        'patient/check-answers',
        {
          title: 'Check your answers',
          sections: reviewView(questionnaire, answers, patient.protocol),
          progress,
          problems: error.fields,
          lastStep: questionnaire.sections.at(-1)?.id,
        },
        400,
        'intake',
      );
    }
  }

  @Get('intake/thank-you')
  @UseGuards(PatientGuard)
  async thanks(
    @CurrentPatient() patient: PatientActor,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { intake } = await this.intakes.state(patient);
    if (intake.status === 'in_progress') return res.redirect(303, '/intake');
    this.pages.send(req, res, 'patient/thank-you', { title: 'Thank you' }, 200, 'intake');
  }

  @Get('intake/saved')
  @UseGuards(PatientGuard)
  saved(@Req() req: Request, @Res() res: Response): void {
    this.pages.send(req, res, 'patient/saved', { title: 'Your answers are saved' }, 200, 'intake');
  }

  @Get('intake/:section')
  @UseGuards(PatientGuard)
  async step(
    @CurrentPatient() patient: PatientActor,
    @Param('section') sectionId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { intake, questionnaire, answers, progress } = await this.intakes.state(patient);
    if (intake.status !== 'in_progress') return res.redirect(303, '/intake/thank-you');
    const section = this.intakes.section(questionnaire, sectionId);
    const view = stepView(questionnaire, section, answers, [], patient.protocol, progress);
    this.pages.send(req, res, 'patient/step', { title: section.title, ...view }, 200, 'intake');
  }

  @Post('intake/:section')
  @UseGuards(PatientGuard)
  async saveStep(
    @CurrentPatient() patient: PatientActor,
    @Param('section') sectionId: string,
    @Body() body: Record<string, unknown>,
    @Headers('x-autosave') autosave: string | undefined,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { action, ...fields } = body;
    try {
      const progress = await this.intakes.saveSections(
        patient,
        { [sectionId]: fields },
        'form',
        meta,
      );
      if (autosave) {
        res.json({ saved: true, progress });
        return;
      }
      const { questionnaire } = await this.intakes.state(patient);
      const index = questionnaire.sections.findIndex((s) => s.id === sectionId);
      const target =
        action === 'back'
          ? questionnaire.sections[index - 1]?.id
          : action === 'exit'
            ? 'saved'
            : (questionnaire.sections[index + 1]?.id ?? 'review');
      res.redirect(303, `/intake/${target ?? sectionId}`);
    } catch (error) {
      if (autosave || !(error instanceof DomainError) || error.code !== ErrorCode.ValidationFailed)
        throw error;
      // Nothing was saved: show the step again with exactly what was typed, and what to fix.
      const { questionnaire, progress } = await this.intakes.state(patient);
      const section = this.intakes.section(questionnaire, sectionId);
      const view = stepView(
        questionnaire,
        section,
        fields,
        error.fields,
        patient.protocol,
        progress,
      );
      this.pages.send(
        req,
        res,
        'patient/step',
        { title: `Check your answers: ${section.title}`, ...view },
        400,
        'intake',
      );
    }
  }
}
