import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ClinicianInviteDto,
  ClinicianLinkDto,
  ROLE_LABELS,
  STATUS_LABELS,
} from '../../admin/clinician.dto';
import { CliniciansService } from '../../admin/clinicians.service';
import { AuditedRoute } from '../../audit/audited-route';
import { Meta, RequestMeta, Roles, Scope, Time } from '../../auth/actor';
import { ClinicTime } from '../../common/clinic-time';
import { ClinicScope } from '../../common/clinic-scope';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { IdParamPipe } from '../../common/id-param.pipe';
import { USER_ROLES } from '../../users/user.entity';
import { LinkFlash } from '../link-flash';
import { Form, Page, PageError, PageModel, Redirect, redirectTo, takeForm, View } from '../page';

const HOME = '/admin/clinicians';

/**
 * The admin's page of the clinic's users: invite, new link, deactivate,
 * reactivate. Every form answers with a redirect back here; a new welcome
 * link crosses it in the link flash.
 */
@Roles('admin')
@Controller(HOME)
export class CliniciansPageController {
  constructor(
    private readonly clinicians: CliniciansService,
    private readonly links: LinkFlash,
  ) {}

  @Get()
  @Page('admin/clinicians')
  show(
    @Scope() scope: ClinicScope,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
  ): Promise<PageModel> {
    return this.model(scope, meta, time, this.links.read<ClinicianLinkDto>(req, HOME));
  }

  /** A refused invitation (a field, or an email already in use) is shown with what was typed. */
  @Post()
  @Form()
  invite(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const page = async () => new View('admin/clinicians', await this.model(scope, meta, time));
    return takeForm(ClinicianInviteDto, body, page, async (dto) => {
      this.links.put(req, res, HOME, await this.clinicians.invite(scope, dto, meta));
      return redirectTo(`${HOME}#new-link-notice`);
    });
  }

  @Post(':id/link')
  @AuditedRoute('user.invite_reissue', 'user')
  @Form()
  reissue(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    return this.act(scope, meta, time, async () => {
      this.links.put(req, res, HOME, await this.clinicians.reissue(scope, id, meta));
      return `${HOME}#new-link-notice`;
    });
  }

  @Post(':id/deactivate')
  @AuditedRoute('user.deactivate', 'user')
  @Form()
  deactivate(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<Redirect> {
    return this.act(scope, meta, time, async () => {
      await this.clinicians.deactivate(scope, id, meta);
      return `${HOME}#user-${id}`;
    });
  }

  @Post(':id/reactivate')
  @AuditedRoute('user.reactivate', 'user')
  @Form()
  reactivate(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<Redirect> {
    return this.act(scope, meta, time, async () => {
      await this.clinicians.reactivate(scope, id, meta);
      return `${HOME}#user-${id}`;
    });
  }

  /** Clears a clinician's second factor (a lost phone) and signs them out everywhere. */
  @Post(':id/mfa-reset')
  @AuditedRoute('auth.mfa_reset', 'user')
  @Form()
  resetMfa(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<Redirect> {
    return this.act(scope, meta, time, async () => {
      await this.clinicians.resetMfa(scope, id, meta);
      return `${HOME}#user-${id}`;
    });
  }

  /** A one-time link for a clinician who forgot their password, shown as a new welcome link is. */
  @Post(':id/password-reset')
  @AuditedRoute('auth.password_reset_issued', 'user')
  @Form()
  passwordReset(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    return this.act(scope, meta, time, async () => {
      const link = await this.clinicians.issuePasswordReset(scope, id, meta);
      this.links.put(req, res, HOME, { ...link, purpose: 'reset' });
      return `${HOME}#new-link-notice`;
    });
  }

  /** Runs an action, then back to the page; a refusal as a whole (deactivating oneself) is shown on it. */
  private async act(
    scope: ClinicScope,
    meta: RequestMeta,
    time: ClinicTime,
    action: () => Promise<string>,
  ): Promise<Redirect> {
    try {
      return redirectTo(await action());
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.Conflict) throw error;
      const model = { ...(await this.model(scope, meta, time)), failure: error.message };
      throw new PageError(error.code, error.message, new View('admin/clinicians', model));
    }
  }

  private async model(
    scope: ClinicScope,
    meta: RequestMeta,
    time: ClinicTime,
    newLink?: ClinicianLinkDto,
  ): Promise<PageModel> {
    const clinicians = (await this.clinicians.list(scope, meta)).map((clinician) => {
      const isSelf = clinician.id === scope.userId;
      return {
        ...clinician,
        isSelf,
        roleLabel: ROLE_LABELS[clinician.role],
        statusLabel: STATUS_LABELS[clinician.status],
        lastSignIn: time.minute(clinician.lastSignInAt),
        invitationExpiresDay: time.day(clinician.invitationExpiresAt),
        canDeactivate: !isSelf && clinician.status !== 'deactivated',
        canReactivate: clinician.status === 'deactivated',
        canReissue: clinician.status === 'invited',
        // One's own password and second factor are changed on one's own account page.
        canResetPassword: !isSelf && clinician.status === 'active',
        canResetMfa: !isSelf && clinician.mfaEnrolled,
      };
    });
    return {
      title: 'Clinicians',
      clinicians,
      roles: USER_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] })),
      newLink: newLink && {
        ...newLink,
        expiresDay: time.day(newLink.expiresAt),
        isReset: (newLink as { purpose?: string }).purpose === 'reset',
      },
    };
  }
}
