import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { WelcomePasswordDto } from '../../admin/welcome.dto';
import { MIN_PASSWORD_LENGTH } from '../../auth/password-policy';
import { WelcomeLink, WelcomeLinkProblem, WelcomeService } from '../../admin/welcome.service';
import { PasswordResetService } from '../../admin/password-reset.service';
import { Meta, Public, RequestMeta } from '../../auth/actor';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { Form, Page, PageError, PageModel, Redirect, redirectTo, takeForm, View } from '../page';

const PROBLEMS: Readonly<
  Record<WelcomeLinkProblem, { code: ErrorCode; title: string; message: string }>
> = {
  unknown: {
    code: ErrorCode.NotFound,
    title: 'This link does not work',
    message:
      'This link is not valid, or it has already been used. If you have chosen your password, sign in. Otherwise ask an admin of your clinic for a new link.',
  },
  expired: {
    code: ErrorCode.LinkGone,
    title: 'This link has expired',
    message: 'Ask an admin of your clinic for a new link.',
  },
  deactivated: {
    code: ErrorCode.LinkGone,
    title: 'This link no longer works',
    message: 'Your account has been deactivated. Ask an admin of your clinic.',
  },
};

/** What a one-time password link does: open (whose is it?) and use (set the password). */
interface PasswordLinks {
  open(token: string): Promise<WelcomeLink>;
  use(token: string, password: string, meta: RequestMeta): Promise<WelcomeLink>;
}

/**
 * The one-time links that set a password, then lead to sign-in: an invited
 * clinician's welcome link (their first password) and an admin-issued reset
 * link (a new one, for someone who forgot theirs; the second factor stays).
 */
@Public()
@Controller()
export class WelcomeController {
  private readonly welcomeLinks: PasswordLinks;
  private readonly resetLinks: PasswordLinks;

  constructor(welcome: WelcomeService, resets: PasswordResetService) {
    this.welcomeLinks = { open: (t) => welcome.open(t), use: (t, p, m) => welcome.join(t, p, m) };
    this.resetLinks = { open: (t) => resets.open(t), use: (t, p, m) => resets.reset(t, p, m) };
  }

  @Get('welcome/:token')
  @Page('account/welcome')
  show(@Param('token') token: string): Promise<PageModel> {
    return this.model('welcome', token);
  }

  @Post('welcome/:token')
  @Form()
  choosePassword(
    @Param('token') token: string,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    return this.setPassword('welcome', token, body, meta);
  }

  @Get('password-reset/:token')
  @Page('account/welcome')
  showReset(@Param('token') token: string): Promise<PageModel> {
    return this.model('password-reset', token);
  }

  @Post('password-reset/:token')
  @Form()
  chooseNewPassword(
    @Param('token') token: string,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    return this.setPassword('password-reset', token, body, meta);
  }

  private setPassword(
    kind: LinkKind,
    token: string,
    body: unknown,
    meta: RequestMeta,
  ): Promise<Redirect> {
    const page = async () => new View('account/welcome', await this.model(kind, token));
    return takeForm(WelcomePasswordDto, body, page, async ({ password, passwordConfirmation }) => {
      if (password !== passwordConfirmation) {
        throw new DomainError(ErrorCode.ValidationFailed, 'The passwords differ.', [
          {
            field: 'passwordConfirmation',
            message: 'The two passwords are not the same. Type the same password twice.',
          },
        ]);
      }
      const used = await this.links(kind).use(token, password, meta);
      if (!used.ok) throw problem(used.problem);
      return redirectTo('/sign-in');
    });
  }

  /** The form for a link that works; the problem page otherwise. */
  private async model(kind: LinkKind, token: string): Promise<PageModel> {
    const link = await this.links(kind).open(token);
    if (!link.ok) throw problem(link.problem);
    return {
      title: kind === 'welcome' ? 'Choose your password' : 'Choose a new password',
      action: `/${kind}/${token}`,
      reset: kind === 'password-reset',
      displayName: link.displayName,
      email: link.email,
      minLength: MIN_PASSWORD_LENGTH,
    };
  }

  private links(kind: LinkKind): PasswordLinks {
    return kind === 'welcome' ? this.welcomeLinks : this.resetLinks;
  }
}

type LinkKind = 'welcome' | 'password-reset';

function problem(which: WelcomeLinkProblem): PageError {
  const { code, title, message } = PROBLEMS[which];
  return new PageError(code, message, new View('account/welcome-problem', { title, message }));
}
