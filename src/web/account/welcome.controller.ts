import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Meta, Public, RequestMeta } from '../auth/actor';
import { FieldProblem } from '../common/domain-error';
import { validateForm } from '../common/form-validation';
import { Pages } from '../views/pages';
import { MIN_PASSWORD_LENGTH, WelcomePasswordDto } from './welcome.dto';
import { WelcomeLinkProblem, WelcomeService } from './welcome.service';

const PROBLEMS: Readonly<
  Record<WelcomeLinkProblem, { status: number; title: string; message: string }>
> = {
  unknown: {
    status: 404,
    title: 'This link does not work',
    message:
      'This link is not valid, or it has already been used. If you have chosen your password, sign in. Otherwise ask an admin of your clinic for a new link.',
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    message: 'Ask an admin of your clinic for a new link.',
  },
  deactivated: {
    status: 410,
    title: 'This link no longer works',
    message: 'Your account has been deactivated. Ask an admin of your clinic.',
  },
};

/** An invited clinician's one-time link: choose a password, then sign in. */
@ApiExcludeController()
@Public()
@Controller('welcome')
export class WelcomeController {
  constructor(
    private readonly welcome: WelcomeService,
    private readonly pages: Pages,
  ) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const link = await this.welcome.open(token);
    if (!link.ok) return this.problem(link.problem, req, res);
    this.form(req, res, token, link);
  }

  @Post(':token')
  async choosePassword(
    @Param('token') token: string,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { value, problems } = validateForm(WelcomePasswordDto, body);
    if (problems.length === 0 && value.password !== value.passwordConfirmation) {
      problems.push({
        field: 'passwordConfirmation',
        message: 'The two passwords are not the same. Type the same password twice.',
      });
    }
    if (problems.length > 0) {
      const link = await this.welcome.open(token);
      if (!link.ok) return this.problem(link.problem, req, res);
      return this.form(req, res, token, link, problems, 400);
    }
    const joined = await this.welcome.join(token, value.password, meta);
    if (!joined.ok) return this.problem(joined.problem, req, res);
    res.redirect(303, '/sign-in');
  }

  private form(
    req: Request,
    res: Response,
    token: string,
    link: { displayName: string; email: string },
    problems?: FieldProblem[],
    status = 200,
  ): void {
    this.pages.send(
      req,
      res,
      'welcome',
      {
        title: 'Choose your password',
        token,
        displayName: link.displayName,
        email: link.email,
        minLength: MIN_PASSWORD_LENGTH,
        problems,
      },
      status,
    );
  }

  private problem(problem: WelcomeLinkProblem, req: Request, res: Response): void {
    const { status, title, message } = PROBLEMS[problem];
    this.pages.send(req, res, 'welcome-problem', { title, message }, status);
  }
}
