import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ClinicianActor, CurrentActor, Meta, Public, RequestMeta } from '../../auth/actor';
import { AuthService } from '../../auth/auth.service';
import { Cookies } from '../../auth/cookies';
import { Csrf } from '../../auth/csrf';
import { SignInDto } from '../../auth/sign-in.dto';
import { SessionStage } from '../../auth/session.entity';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { LinkFlash } from '../link-flash';
import { Form, Page, PageError, PageModel, Redirect, redirectTo, takeForm, View } from '../page';

/** Where a right password leads: home, or the second step. */
const NEXT_STEP: Readonly<Record<SessionStage, string>> = {
  complete: '/',
  code: '/sign-in/code',
  enrol: '/sign-in/set-up',
};

/** How long a browser stays known after its last sign-in. */
export const KNOWN_DEVICE_DAYS = 180;

const SIGN_IN: PageModel = { title: 'Sign in' };

/** The sign-in and sign-out pages. */
@Controller()
export class SignInController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: Cookies,
    private readonly csrf: Csrf,
    private readonly links: LinkFlash,
  ) {}

  /** Signed in already: to the patient list. */
  @Public()
  @Get('sign-in')
  @Page('account/sign-in')
  signInPage(@Req() req: Request): PageModel | Redirect {
    if (req.actor) return redirectTo('/');
    return req.pendingSignIn ? redirectTo(NEXT_STEP[req.pendingSignIn.stage]) : SIGN_IN;
  }

  /** A wrong password (401) or too many (429) shows the form again with the email typed. */
  @Public()
  @Post('sign-in')
  @Form()
  signIn(
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const page = () => Promise.resolve(new View('account/sign-in', SIGN_IN));
    return takeForm(SignInDto, body, page, async ({ email, password }) => {
      try {
        const cookies = req.cookies as Record<string, string | undefined>;
        const previous = cookies[this.cookies.session];
        const { token, device, stage } = await this.auth.signIn(
          email,
          password,
          previous,
          meta,
          cookies[this.cookies.device],
        );
        res.cookie(this.cookies.session, token, this.cookies.options());
        res.cookie(
          this.cookies.device,
          device,
          this.cookies.options(KNOWN_DEVICE_DAYS * 86_400_000),
        );
        this.csrf.rotate(req, res);
        return redirectTo(NEXT_STEP[stage]);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const code = error.retryAfter ? ErrorCode.TooManyAttempts : ErrorCode.NotSignedIn;
        const view = new View('account/sign-in', {
          ...SIGN_IN,
          form: { email },
          failure: error.message,
        });
        throw new PageError(code, error.message, view, [], error.retryAfter);
      }
    });
  }

  /** Also forgets a link just made, so the next person at this browser never sees it. */
  @Post('sign-out')
  @Form()
  async signOut(
    @CurrentActor() actor: ClinicianActor,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    await this.auth.signOut(actor, meta);
    res.clearCookie(this.cookies.session, this.cookies.options());
    this.links.clear(res);
    this.csrf.rotate(req, res);
    return redirectTo('/sign-in');
  }
}
