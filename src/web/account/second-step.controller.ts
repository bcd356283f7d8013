import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Meta, PendingSignIn, Public, RequestMeta } from '../../auth/actor';
import { AuthService } from '../../auth/auth.service';
import { Cookies } from '../../auth/cookies';
import { Csrf } from '../../auth/csrf';
import { MfaService } from '../../auth/mfa.service';
import { SecondFactorCodeDto } from '../../auth/second-factor.dto';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { LinkFlash } from '../link-flash';
import { Form, Page, PageError, PageModel, Redirect, redirectTo, takeForm, View } from '../page';
import { enrolmentModel, RECOVERY_CODES_PAGE } from './security.controller';
import { KNOWN_DEVICE_DAYS } from './sign-in.controller';

/**
 * The second step of sign-in, for a browser whose password was right: a
 * code (or recovery code), or, when the clinic requires a second factor and
 * the user has none yet, setting one up. The waiting session opens nothing
 * else; these pages send anyone else back to sign-in.
 */
@Public()
@Controller('sign-in')
export class SecondStepController {
  constructor(
    private readonly auth: AuthService,
    private readonly mfa: MfaService,
    private readonly cookies: Cookies,
    private readonly csrf: Csrf,
    private readonly links: LinkFlash,
  ) {}

  @Get('code')
  @Page('account/sign-in-code')
  codePage(@Req() req: Request): PageModel | Redirect {
    const pending = waiting(req, 'code');
    return pending ? codeModel(pending) : elsewhere(req);
  }

  /** A wrong code shows the form again (400); too many, 429 and back to the password. */
  @Post('code')
  @Form()
  async code(
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const pending = waiting(req, 'code');
    if (!pending) return elsewhere(req);
    const view = () => new View('account/sign-in-code', codeModel(pending));
    return takeForm(
      SecondFactorCodeDto,
      body,
      () => Promise.resolve(view()),
      async ({ code }) => {
        try {
          const { token, device } = await this.auth.secondStep(
            pending,
            code,
            meta,
            this.device(req),
          );
          this.signedIn(req, res, token, device);
          return redirectTo('/');
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== ErrorCode.TooManyAttempts)
            throw error;
          await this.auth.abandonSignIn(pending);
          res.clearCookie(this.cookies.session, this.cookies.options());
          const signIn = new View('account/sign-in', { title: 'Sign in', failure: error.message });
          throw new PageError(error.code, error.message, signIn, [], error.retryAfter);
        }
      },
    );
  }

  @Get('set-up')
  @Page('account/mfa-set-up')
  async setUpPage(@Req() req: Request): Promise<PageModel | Redirect> {
    const pending = waiting(req, 'enrol');
    if (!pending) return elsewhere(req);
    return this.setUpModel(pending);
  }

  /** The first code from the new authenticator: set up, signed in, and the recovery codes shown once. */
  @Post('set-up')
  @Form()
  async setUp(
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const pending = waiting(req, 'enrol');
    if (!pending) return elsewhere(req);
    const page = async () => new View('account/mfa-set-up', await this.setUpModel(pending));
    return takeForm(SecondFactorCodeDto, body, page, async ({ code }) => {
      const codes = await this.mfa.confirm(
        pending.userId,
        pending.sessionId,
        code,
        'sign-in',
        meta,
      );
      const { token, sessionId, device } = await this.auth.completeSignIn(
        pending,
        'enrolment',
        meta,
        this.device(req),
      );
      this.signedIn(req, res, token, device);
      this.links.put(req, res, RECOVERY_CODES_PAGE, { codes }, sessionId);
      return redirectTo(RECOVERY_CODES_PAGE);
    });
  }

  /** "Cancel": the waiting session ends, back to the password. */
  @Post('cancel')
  @Form()
  async cancel(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Redirect> {
    if (req.pendingSignIn) await this.auth.abandonSignIn(req.pendingSignIn);
    res.clearCookie(this.cookies.session, this.cookies.options());
    this.csrf.rotate(req, res);
    return redirectTo('/sign-in');
  }

  private async setUpModel(pending: PendingSignIn): Promise<PageModel> {
    // The password was given a moment ago, for this sign-in: that is the password asked again.
    let enrolment = await this.mfa.enrolment(pending.userId, pending.sessionId);
    if (!enrolment) {
      await this.mfa.begin(pending.userId, pending.sessionId);
      enrolment = await this.mfa.enrolment(pending.userId, pending.sessionId);
    }
    return {
      ...enrolmentModel(enrolment!, '/sign-in/set-up'),
      duringSignIn: true,
      clinicName: pending.clinicName,
      displayName: pending.displayName,
    };
  }

  private signedIn(req: Request, res: Response, token: string, device: string): void {
    res.cookie(this.cookies.session, token, this.cookies.options());
    res.cookie(this.cookies.device, device, this.cookies.options(KNOWN_DEVICE_DAYS * 86_400_000));
    this.csrf.rotate(req, res);
  }

  private device(req: Request): string | undefined {
    return (req.cookies as Record<string, string | undefined>)[this.cookies.device];
  }
}

/** The waiting sign-in of this browser, when it is at `stage`. */
function waiting(req: Request, stage: PendingSignIn['stage']): PendingSignIn | undefined {
  return req.pendingSignIn?.stage === stage ? req.pendingSignIn : undefined;
}

/** Signed in already: home. Waiting at the other step: there. Otherwise: the password. */
function elsewhere(req: Request): Redirect {
  if (req.actor) return redirectTo('/');
  if (req.pendingSignIn)
    return redirectTo(req.pendingSignIn.stage === 'code' ? '/sign-in/code' : '/sign-in/set-up');
  return redirectTo('/sign-in');
}

const codeModel = (pending: PendingSignIn): PageModel => ({
  title: 'Enter your code',
  displayName: pending.displayName,
});
