import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ClinicianActor, CurrentActor, Meta, RequestMeta, Time } from '../../auth/actor';
import { AuthService } from '../../auth/auth.service';
import { Cookies } from '../../auth/cookies';
import { Enrolment, MfaService, RECOVERY_CODE_COUNT } from '../../auth/mfa.service';
import { PasswordAgainDto, SecondFactorCodeDto } from '../../auth/second-factor.dto';
import { ClinicTime } from '../../common/clinic-time';
import { qrCodeSvg } from '../clinic/qr-code';
import { LinkFlash } from '../link-flash';
import { Form, Page, PageModel, Redirect, redirectTo, takeForm, View } from '../page';

const HOME = '/account/security';
const SET_UP = '/account/mfa/set-up';
export const RECOVERY_CODES_PAGE = '/account/recovery-codes';

/** The QR code and the secret to type instead, for the set-up page of either flow. */
export function enrolmentModel(enrolment: Enrolment, action: string): PageModel {
  return {
    title: 'Set up two-step sign-in',
    action,
    secret: enrolment.secret,
    qrSvg: qrCodeSvg(enrolment.uri, {
      size: 200,
      titleId: 'mfa-qr-title',
      title: 'QR code to add this account to an authenticator app',
    }),
  };
}

/**
 * A signed-in staff member's own two-step sign-in: set up or replace the
 * authenticator, and new recovery codes. Each asks for the password again;
 * recovery codes cross their redirect in the link flash and are shown once.
 */
@Controller()
export class SecurityController {
  constructor(
    private readonly auth: AuthService,
    private readonly mfa: MfaService,
    private readonly links: LinkFlash,
    private readonly cookies: Cookies,
  ) {}

  @Get(HOME)
  @Page('account/security')
  show(@CurrentActor() actor: ClinicianActor, @Time() time: ClinicTime): Promise<PageModel> {
    return this.model(actor, time);
  }

  /** The password again, then a new secret to set up (the current one works until it is confirmed). */
  @Post('account/mfa')
  @Form()
  begin(
    @CurrentActor() actor: ClinicianActor,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
  ): Promise<Redirect> {
    const page = async () => new View('account/security', await this.model(actor, time));
    return takeForm(PasswordAgainDto, body, page, async ({ password }) => {
      await this.auth.confirmPassword(actor, password, meta, this.device(req));
      await this.mfa.begin(actor.userId, actor.sessionId);
      return redirectTo(SET_UP);
    });
  }

  @Get(SET_UP)
  @Page('account/mfa-set-up')
  async setUpPage(@CurrentActor() actor: ClinicianActor): Promise<PageModel | Redirect> {
    const enrolment = await this.mfa.enrolment(actor.userId, actor.sessionId);
    return enrolment ? enrolmentModel(enrolment, SET_UP) : redirectTo(HOME);
  }

  @Post(SET_UP)
  @Form()
  async setUp(
    @CurrentActor() actor: ClinicianActor,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const enrolment = await this.mfa.enrolment(actor.userId, actor.sessionId);
    if (!enrolment) return redirectTo(HOME);
    const page = () =>
      Promise.resolve(new View('account/mfa-set-up', enrolmentModel(enrolment, SET_UP)));
    return takeForm(SecondFactorCodeDto, body, page, async ({ code }) => {
      const codes = await this.mfa.confirm(actor.userId, actor.sessionId, code, 'self', meta);
      this.links.put(req, res, RECOVERY_CODES_PAGE, { codes });
      return redirectTo(RECOVERY_CODES_PAGE);
    });
  }

  /** Ten new recovery codes; the old ones stop working. */
  @Post(RECOVERY_CODES_PAGE)
  @Form()
  replaceRecoveryCodes(
    @CurrentActor() actor: ClinicianActor,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const page = async () =>
      new View('account/security', { ...(await this.model(actor, time)), codesForm: true });
    return takeForm(PasswordAgainDto, body, page, async ({ password }) => {
      await this.auth.confirmPassword(actor, password, meta, this.device(req));
      const codes = await this.mfa.newRecoveryCodes(
        actor.userId,
        actor.clinicId,
        actor.sessionId,
        meta,
      );
      this.links.put(req, res, RECOVERY_CODES_PAGE, { codes });
      return redirectTo(RECOVERY_CODES_PAGE);
    });
  }

  /** The codes just made, once, in this browser; after that, only how many are left. */
  @Get(RECOVERY_CODES_PAGE)
  @Page('account/recovery-codes')
  async recoveryCodes(
    @CurrentActor() actor: ClinicianActor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PageModel> {
    const fresh = this.links.read<{ codes: string[] }>(req, RECOVERY_CODES_PAGE);
    // Shown once: a reload, or anyone at this browser later, sees only how many are left.
    if (fresh) this.links.clear(res);
    const status = await this.mfa.status(actor.userId);
    return {
      title: 'Recovery codes',
      codes: fresh?.codes,
      left: status.recoveryCodesLeft,
      count: RECOVERY_CODE_COUNT,
    };
  }

  private async model(actor: ClinicianActor, time: ClinicTime): Promise<PageModel> {
    const status = await this.mfa.status(actor.userId);
    return {
      title: 'Sign-in and security',
      enrolled: status.enrolledAt !== null,
      enrolledOn: time.day(status.enrolledAt),
      recoveryCodesLeft: status.recoveryCodesLeft,
      clinicRequires: status.clinicRequires,
      email: actor.email,
    };
  }

  private device(req: Request): string | undefined {
    return (req.cookies as Record<string, string | undefined>)[this.cookies.device];
  }
}
