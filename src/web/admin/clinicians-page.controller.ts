import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Meta, RequestMeta, Roles, Scope } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode, FieldProblem } from '../common/domain-error';
import { validateForm } from '../common/form-validation';
import { IdParamPipe } from '../common/id-param.pipe';
import { USER_ROLES } from '../users/user.entity';
import { Pages } from '../views/pages';
import { ClinicianInviteDto, ClinicianLinkDto, ROLE_LABELS, STATUS_LABELS } from './clinician.dto';
import { CliniciansService } from './clinicians.service';
import { dayOf, minuteOf } from './view-format';

const HOME = '/admin/clinicians';

interface PageState {
  readonly newLink?: ClinicianLinkDto;
  readonly problems?: readonly FieldProblem[];
  readonly form?: { displayName?: unknown; email?: unknown; role?: unknown };
  /** An action refused as a whole (e.g. deactivating oneself). */
  readonly failure?: string;
}

/** The admin's page of the clinic's users: invite, new link, deactivate, reactivate. */
@ApiExcludeController()
@Roles('admin')
@Controller(HOME)
export class CliniciansPageController {
  constructor(
    private readonly clinicians: CliniciansService,
    private readonly pages: Pages,
  ) {}

  @Get()
  async show(
    @Scope() scope: ClinicScope,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.render(scope, meta, req, res);
  }

  @Post()
  async invite(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { value, problems } = validateForm(ClinicianInviteDto, body);
    if (problems.length > 0) {
      return this.render(scope, meta, req, res, { problems, form: typed(body) }, 400);
    }
    try {
      const newLink = await this.clinicians.invite(scope, value, meta);
      await this.render(scope, meta, req, res, { newLink });
    } catch (error) {
      if (!isConflict(error)) throw error;
      await this.render(scope, meta, req, res, { problems: error.fields, form: typed(body) }, 409);
    }
  }

  @Post(':id/link')
  async reissue(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(scope, meta, req, res, async () => ({
      newLink: await this.clinicians.reissue(scope, id, meta),
    }));
  }

  @Post(':id/deactivate')
  async deactivate(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(scope, meta, req, res, () => this.clinicians.deactivate(scope, id, meta));
  }

  @Post(':id/reactivate')
  async reactivate(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(scope, meta, req, res, () => this.clinicians.reactivate(scope, id, meta));
  }

  /** Runs an action: a link to show renders the page, anything else goes back to it (303); a refusal is shown on the page. */
  private async act(
    scope: ClinicScope,
    meta: RequestMeta,
    req: Request,
    res: Response,
    action: () => Promise<PageState | void>,
  ): Promise<void> {
    try {
      const state = await action();
      if (state) return this.render(scope, meta, req, res, state);
      res.redirect(303, HOME);
    } catch (error) {
      if (!isConflict(error)) throw error;
      await this.render(scope, meta, req, res, { failure: error.message }, 409);
    }
  }

  private async render(
    scope: ClinicScope,
    meta: RequestMeta,
    req: Request,
    res: Response,
    state: PageState = {},
    status = 200,
  ): Promise<void> {
    const clinicians = (await this.clinicians.list(scope, meta)).map((clinician) => {
      const isSelf = clinician.id === scope.userId;
      return {
        ...clinician,
        isSelf,
        roleLabel: ROLE_LABELS[clinician.role],
        statusLabel: STATUS_LABELS[clinician.status],
        lastSignIn: minuteOf(clinician.lastSignInAt),
        invitationExpiresDay: dayOf(clinician.invitationExpiresAt),
        canDeactivate: !isSelf && clinician.status !== 'deactivated',
        canReactivate: clinician.status === 'deactivated',
        canReissue: clinician.status === 'invited',
      };
    });
    const form = state.form ?? {};
    this.pages.send(
      req,
      res,
      'admin-clinicians',
      {
        title: 'Clinicians',
        clinicians,
        roles: USER_ROLES.map((role) => ({
          value: role,
          label: ROLE_LABELS[role],
          selected: form.role === role,
        })),
        form: {
          displayName: typeof form.displayName === 'string' ? form.displayName : '',
          email: typeof form.email === 'string' ? form.email : '',
        },
        problems: state.problems,
        failure: state.failure,
        newLink: state.newLink && {
          ...state.newLink,
          expiresDay: dayOf(state.newLink.expiresAt),
        },
      },
      status,
    );
  }
}

/** What the admin typed, to put back in the form. */
function typed(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

function isConflict(error: unknown): error is DomainError {
  return error instanceof DomainError && error.code === ErrorCode.Conflict;
}
