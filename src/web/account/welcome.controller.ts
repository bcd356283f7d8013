import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { WelcomePasswordDto } from '../../admin/welcome.dto';
import { MIN_PASSWORD_LENGTH } from '../../auth/password-policy';
import { WelcomeLinkProblem, WelcomeService } from '../../admin/welcome.service';
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

/** An invited clinician's one-time link: choose a password, then sign in. */
@Public()
@Controller('welcome')
export class WelcomeController {
  constructor(private readonly welcome: WelcomeService) {}

  @Get(':token')
  @Page('account/welcome')
  show(@Param('token') token: string): Promise<PageModel> {
    return this.model(token);
  }

  @Post(':token')
  @Form()
  choosePassword(
    @Param('token') token: string,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    const page = async () => new View('account/welcome', await this.model(token));
    return takeForm(WelcomePasswordDto, body, page, async ({ password, passwordConfirmation }) => {
      if (password !== passwordConfirmation) {
        throw new DomainError(ErrorCode.ValidationFailed, 'The passwords differ.', [
          {
            field: 'passwordConfirmation',
            message: 'The two passwords are not the same. Type the same password twice.',
          },
        ]);
      }
      const joined = await this.welcome.join(token, password, meta);
      if (!joined.ok) throw problem(joined.problem);
      return redirectTo('/sign-in');
    });
  }

  /** The form for a link that works; the problem page otherwise. */
  private async model(token: string): Promise<PageModel> {
    const link = await this.welcome.open(token);
    if (!link.ok) throw problem(link.problem);
    return {
      title: 'Choose your password',
      token,
      displayName: link.displayName,
      email: link.email,
      minLength: MIN_PASSWORD_LENGTH,
    };
  }
}

function problem(which: WelcomeLinkProblem): PageError {
  const { code, title, message } = PROBLEMS[which];
  return new PageError(code, message, new View('account/welcome-problem', { title, message }));
}
