import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPatient, Meta, PatientActor, Public, RequestMeta } from '../../auth/actor';
import { Cookies } from '../../auth/cookies';
import { Csrf, TokenInPathSuffices } from '../../auth/csrf';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { HandoutQueryDto } from '../../handouts/handouts.controller';
import { TakeHomeService } from '../../handouts/take-home.service';
import { ConsentAnswerDto, paragraphsOf } from '../../consent/consent.dto';
import { ConsentState, IntakeService, IntakeState } from '../../intake/intake.service';
import { PatientGuard } from '../../intake/patient-session.middleware';
import {
  LinkError,
  LinkProblem,
  PatientSessionService,
} from '../../intake/patient-session.service';
import {
  DosingChecked,
  Form,
  FormRefused,
  Page,
  PageError,
  PageModel,
  Redirect,
  redirectTo,
  SeeOther,
  takeForm,
  View,
} from '../page';
import { checkAnswersView, nameProblems, resumeStep, stepView } from './intake-view';
import { takeHomeView } from './take-home-view';

const LINK_PROBLEMS: Record<LinkProblem, { code: ErrorCode; title: string; message: string }> = {
  unknown: {
    code: ErrorCode.NotFound,
    title: 'This link does not work',
    message:
      'Check that you opened the whole link from your clinic. If it still does not work, ask your clinic for a new one.',
  },
  expired: {
    code: ErrorCode.LinkGone,
    title: 'This link has expired',
    message:
      'Please contact your clinic and ask for a new link. Anything you already answered is kept.',
  },
  revoked: {
    code: ErrorCode.LinkGone,
    title: 'This link is no longer active',
    message:
      'Your clinic has withdrawn this link. Please contact your clinic if you still need to answer.',
  },
};

const THANK_YOU = '/intake/thank-you';
/** What newToken makes (43 base64url characters); anything else is no link. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const CONSENT = '/intake/consent';
type StepAction = 'next' | 'back' | 'exit';

/** The page for a link that does not work: no such link, expired, revoked. */
function linkPage(problem: LinkProblem): PageError {
  const { code, title, message } = LINK_PROBLEMS[problem];
  return new PageError(
    code,
    message,
    new View('patient/link-problem', { title, message }, 'intake'),
  );
}

/** What newToken never makes is no link, without looking it up. */
function refuseMalformed(token: string): void {
  if (!TOKEN_SHAPE.test(token)) throw linkPage('unknown');
}

/**
 * A link that does not work, or an address past the limit of failed opens
 * (with Retry-After), as a page; any other error as it is.
 */
function linkProblemPage(error: unknown): unknown {
  if (error instanceof LinkError) return linkPage(error.problem);
  if (!(error instanceof DomainError) || error.code !== ErrorCode.TooManyAttempts) return error;
  const view = new View(
    'patient/link-problem',
    { title: 'Too many attempts', message: error.message },
    'intake',
  );
  return new PageError(error.code, error.message, view, [], error.retryAfter);
}

/**
 * The patient's pages: open the link, one step per section, check, send.
 * Every step posts a plain form (works without JavaScript) and answers with
 * a redirect; with JavaScript, `/autosave` saves each answer as it is typed.
 * Either way every answer that reads is saved, and one that does not is
 * shown again as typed, named, with what to fix.
 */
@ApiExcludeController()
@Public()
@Controller()
export class IntakePagesController {
  constructor(
    private readonly sessions: PatientSessionService,
    private readonly intakes: IntakeService,
    private readonly cookies: Cookies,
    private readonly csrf: Csrf,
    private readonly takeHome: TakeHomeService,
  ) {}

  /** The invitation link: trade the token for a cookie, then leave the token-bearing URL. */
  @Get('i/:token')
  @Form()
  openLink(
    @Param('token') token: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    return this.open(token, meta, req, res);
  }

  /**
   * The link as emailed: a page that asks the patient to continue, and
   * nothing else. Mail scanners and link previews fetch links in emails; this
   * GET neither looks the token up nor opens a session, counts an open or
   * writes anything, so a fetch uses nothing up.
   */
  @Get('e/:token')
  @Page('patient/continue', 'intake')
  continuePage(@Param('token') token: string): PageModel {
    refuseMalformed(token);
    return { title: 'Continue to your questionnaire', action: `/e/${token}` };
  }

  /**
   * "Continue": what opening the link does (`GET /i/:token`), with the same
   * throttling and audit. The token in the path is the proof, and the form
   * carries the page's CSRF token as every form does.
   */
  @Post('e/:token')
  @Form()
  continueLink(
    @Param('token') token: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    return this.open(token, meta, req, res);
  }

  /**
   * "No more reminders", from the link in an email: a page with a button,
   * so a mail scanner's fetch changes nothing.
   */
  @Get('e/:token/stop')
  @Page('patient/stop-reminders', 'intake')
  stopRemindersPage(@Param('token') token: string): PageModel {
    refuseMalformed(token);
    return { title: 'Stop reminder emails?', action: `/e/${token}/stop` };
  }

  /**
   * The button, and a mail program's one-click unsubscribe (RFC 8058), which
   * posts here with no form token: the token in the path is the authority.
   */
  @Post('e/:token/stop')
  @TokenInPathSuffices()
  @Form()
  async stopReminders(@Param('token') token: string, @Meta() meta: RequestMeta): Promise<Redirect> {
    refuseMalformed(token);
    try {
      await this.sessions.stopReminders(token, meta);
    } catch (error) {
      throw linkProblemPage(error);
    }
    return redirectTo('/reminders-stopped');
  }

  @Get('reminders-stopped')
  @Page('patient/reminders-stopped', 'intake')
  remindersStopped(): PageModel {
    return { title: 'Reminders stopped' };
  }

  private async open(
    token: string,
    meta: RequestMeta,
    req: Request,
    res: Response,
  ): Promise<Redirect> {
    try {
      const opened = await this.sessions.openLink(token, meta);
      await this.intakes.open(opened.patient);
      res.cookie(this.cookies.intake, opened.token, this.cookies.options());
      req.patient = opened.patient;
      this.csrf.rotate(req, res);
      return redirectTo('/intake');
    } catch (error) {
      if (error instanceof LinkError || req.accepts(['html', 'json']) === 'html') {
        throw linkProblemPage(error);
      }
      throw error;
    }
  }

  /** Back where the patient left off: see resumeStep. */
  @Get('intake')
  @UseGuards(PatientGuard)
  @Form()
  async resume(@CurrentPatient() patient: PatientActor): Promise<Redirect> {
    const state = await this.openState(patient);
    return redirectTo(
      `/intake/${resumeStep(state.questionnaire, state.intake.lastStep, state.answers, patient.protocol)}`,
    );
  }

  /**
   * The clinic's privacy notice, before the first question: "I agree" or
   * "I do not agree". Once agreed (on any device), the intake goes on.
   */
  @Get('intake/consent')
  @UseGuards(PatientGuard)
  @Page('patient/consent', 'intake')
  @DosingChecked()
  async consent(
    @CurrentPatient() patient: PatientActor,
    @Query('changed') changed?: string,
  ): Promise<PageModel> {
    const state = await this.intakes.consentState(patient);
    if (state.intake.status !== 'in_progress') throw new SeeOther(THANK_YOU);
    if (state.intake.consentedAt) throw new SeeOther('/intake');
    return { ...consentView(state), changed: changed === '1' };
  }

  /** Agreeing records the version shown, once; not agreeing saves nothing. */
  @Post('intake/consent')
  @UseGuards(PatientGuard)
  @Form()
  async answerConsent(
    @CurrentPatient() patient: PatientActor,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    const page = async () =>
      new View('patient/consent', consentView(await this.intakes.consentState(patient)), 'intake');
    return takeForm(ConsentAnswerDto, body, page, async (answer) => {
      const outcome = await this.intakes.answerConsent(patient, answer, meta);
      switch (outcome) {
        case 'agreed':
        case 'closed':
          return redirectTo('/intake');
        case 'refused':
          return redirectTo('/intake/declined');
        case 'changed':
          return redirectTo(`${CONSENT}?changed=1`);
      }
    });
  }

  /** After "I do not agree": nothing was saved, and how to reach the clinic. */
  @Get('intake/declined')
  @UseGuards(PatientGuard)
  @Page('patient/declined', 'intake')
  @DosingChecked()
  async declined(@CurrentPatient() patient: PatientActor): Promise<PageModel> {
    const { intake, text, clinicName } = await this.intakes.consentState(patient);
    if (intake.consentedAt || intake.status !== 'in_progress') throw new SeeOther('/intake');
    return {
      title: 'You did not agree',
      clinicName,
      contact: text.contact,
      hadAnswers: Object.keys(intake.answers).length > 0,
    };
  }

  @Get('intake/review')
  @UseGuards(PatientGuard)
  @Page('patient/check-answers', 'intake')
  async review(@CurrentPatient() patient: PatientActor): Promise<PageModel> {
    return checkAnswersView(await this.openState(patient), patient.protocol);
  }

  /** Sent twice (a double tap, a retry) is sent once. Required questions left blank are named, with where to answer them. */
  @Post('intake/submit')
  @UseGuards(PatientGuard)
  @Form()
  async submit(
    @CurrentPatient() patient: PatientActor,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    try {
      await this.toConsent(() => this.intakes.submit(patient, meta));
      return redirectTo(THANK_YOU);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.ValidationFailed) throw error;
      const state = await this.intakes.state(patient);
      const view = new View(
        'patient/check-answers',
        checkAnswersView(state, patient.protocol),
        'intake',
      );
      throw new FormRefused(view, nameProblems(state.questionnaire, error.fields, 'its step'), {});
    }
  }

  /**
   * Where a sent intake's link leads: thanks, and that the take-home notes
   * come after the visit; once the clinician has completed the review, the
   * notes themselves (the patient notes handout's model, through the dosing
   * guard), with the PDF to download.
   */
  @Get('intake/thank-you')
  @UseGuards(PatientGuard)
  @Page('patient/thank-you', 'intake')
  @DosingChecked()
  async thanks(
    @CurrentPatient() patient: PatientActor,
    @Meta() meta: RequestMeta,
  ): Promise<PageModel | View | Redirect> {
    const { intake } = await this.intakes.consentState(patient);
    if (intake.status === 'in_progress') return redirectTo('/intake');
    const takeHome = await this.takeHome.notes(patient, meta);
    if (!takeHome.ready) return { title: 'Thank you' };
    return new View('patient/notes', takeHomeView(takeHome.notes), 'intake');
  }

  /** The take-home notes as the patient notes PDF (A4 or US Letter), once the review is complete. */
  @Get('intake/notes/pdf')
  @UseGuards(PatientGuard)
  async notesPdf(
    @CurrentPatient() patient: PatientActor,
    @Query() query: HandoutQueryDto,
    @Meta() meta: RequestMeta,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.takeHome.download(patient, query.paper ?? 'a4', meta);
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('Content-Length', String(file.pdf.length));
    res.end(file.pdf);
  }

  @Get('intake/saved')
  @UseGuards(PatientGuard)
  @Page('patient/saved', 'intake')
  saved(): PageModel {
    return { title: 'Your answers are saved' };
  }

  @Get('intake/:section')
  @UseGuards(PatientGuard)
  @Page('patient/step', 'intake')
  async step(
    @CurrentPatient() patient: PatientActor,
    @Param('section') sectionId: string,
  ): Promise<PageModel> {
    const { questionnaire, answers, progress } = await this.openState(patient);
    const section = this.intakes.section(questionnaire, sectionId);
    return stepView(questionnaire, section, answers, [], patient.protocol, progress);
  }

  /**
   * Saves the step and moves on (or back, or out). What does not read is
   * shown again with everything typed, while every answer that reads is
   * already saved; "Save and continue" also asks for required questions.
   */
  @Post('intake/:section')
  @UseGuards(PatientGuard)
  @Form()
  async saveStep(
    @CurrentPatient() patient: PatientActor,
    @Param('section') sectionId: string,
    @Body() body: Record<string, unknown>,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    const { action, ...fields } = body;
    const move: StepAction = action === 'back' || action === 'exit' ? action : 'next';
    const { progress, problems, questionnaire, section } = await this.toConsent(() =>
      this.intakes.saveStep(patient, sectionId, fields, meta, { required: move === 'next' }),
    );
    if (problems.length > 0) {
      const view = stepView(questionnaire, section, fields, problems, patient.protocol, progress);
      throw new FormRefused(
        new View(
          'patient/step',
          { ...view, title: `Check your answers: ${section.title}` },
          'intake',
        ),
        view.problems,
        fields,
      );
    }
    const index = questionnaire.sections.indexOf(section);
    const target =
      move === 'back'
        ? (questionnaire.sections[index - 1]?.id ?? section.id)
        : move === 'exit'
          ? 'saved'
          : (questionnaire.sections[index + 1]?.id ?? 'review');
    return redirectTo(`/intake/${target}`);
  }

  /**
   * The page's script saves as the patient types: every answer that reads is
   * saved; the others come back by field, with their question named, for the
   * page to mark while it keeps what was typed.
   */
  @Post('intake/:section/autosave')
  @UseGuards(PatientGuard)
  @HttpCode(200)
  async autosave(
    @CurrentPatient() patient: PatientActor,
    @Param('section') sectionId: string,
    @Body() body: Record<string, unknown>,
    @Meta() meta: RequestMeta,
  ): Promise<{ saved: true; progress: unknown; problems: readonly unknown[] }> {
    // The buttons are not answers.
    const fields = Object.fromEntries(Object.entries(body).filter(([name]) => name !== 'action'));
    const { progress, problems, questionnaire } = await this.intakes.saveStep(
      patient,
      sectionId,
      fields,
      meta,
      { required: false },
    );
    return { saved: true, progress, problems: nameProblems(questionnaire, problems, 'here') };
  }

  /**
   * The intake while it can still be answered; once sent, its pages lead to
   * the thank-you page, and before the patient agrees, to the privacy notice.
   */
  private async openState(patient: PatientActor): Promise<IntakeState> {
    const state = await this.toConsent(() => this.intakes.state(patient));
    if (state.intake.status !== 'in_progress') throw new SeeOther(THANK_YOU);
    return state;
  }

  /** Runs `work`; refused for want of consent, the browser goes to the notice instead. */
  private async toConsent<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.ConsentRequired) {
        throw new SeeOther(CONSENT);
      }
      throw error;
    }
  }
}

/** The notice as the page shows it: the text in paragraphs, never as markup. */
function consentView({ text, clinicName }: ConsentState): PageModel {
  return {
    title: 'Before you start: privacy notice',
    clinicName,
    paragraphs: paragraphsOf(text.body),
    contact: text.contact,
    version: text.version,
    consentTextId: text.id,
  };
}
