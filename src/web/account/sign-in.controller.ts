import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '../common/domain-error';
import { validateForm } from '../common/form-validation';
import { Pages } from '../views/pages';
import { ClinicianActor, CurrentActor, Meta, Public, RequestMeta } from './actor';
import { AuthService } from './auth.service';
import { Cookies } from './cookies';
import { Csrf } from './csrf';
import { SignInDto } from './sign-in.dto';

/** The sign-in and sign-out pages. */
@ApiExcludeController()
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly pages: Pages,
    private readonly cookies: Cookies,
    private readonly csrf: Csrf,
  ) {}

  @Public()
  @Get('sign-in')
  signInPage(@Req() req: Request, @Res() res: Response): void {
    if (req.actor) return res.redirect(303, '/');
    this.pages.send(req, res, 'sign-in', { title: 'Sign in', email: '' });
  }

  @Public()
  @Post('sign-in')
  async signIn(
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { value, problems } = validateForm(SignInDto, body);
    const email = typeof value.email === 'string' ? value.email : '';
    if (problems.length > 0) {
      return this.pages.send(req, res, 'sign-in', { title: 'Sign in', email, problems }, 400);
    }
    try {
      const previous = (req.cookies as Record<string, string | undefined>)[this.cookies.session];
      const { token } = await this.auth.signIn(value.email, value.password, previous, meta);
      res.cookie(this.cookies.session, token, this.cookies.options());
      this.csrf.rotate(req, res);
      res.redirect(303, '/');
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.retryAfter) res.setHeader('Retry-After', String(error.retryAfter));
      const status = error.retryAfter ? 429 : 401;
      this.pages.send(
        req,
        res,
        'sign-in',
        { title: 'Sign in', email, failure: error.message },
        status,
      );
    }
  }

  @Post('sign-out')
  @HttpCode(303)
  async signOut(
    @CurrentActor() actor: ClinicianActor,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.auth.signOut(actor, meta);
    res.clearCookie(this.cookies.session, this.cookies.options());
    this.csrf.rotate(req, res);
    res.redirect(303, '/sign-in');
  }
}
