import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditedRoute } from '../../audit/audited-route';
import { AuditService } from '../../audit/audit.service';
import { Meta, RequestMeta, Scope, Time } from '../../auth/actor';
import { ClinicTime } from '../../common/clinic-time';
import { ClinicScope } from '../../common/clinic-scope';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { IdParamPipe } from '../../common/id-param.pipe';
import { Protocol, PROTOCOL_LABELS, PROTOCOLS } from '../../common/protocol';
import { InvitationCreateDto, InvitationLinkDto } from '../../invitations/invitation.dto';
import { InvitationsService, PATIENT_ARCHIVED } from '../../invitations/invitations.service';
import { InvitationEmailService } from '../../invitations/invitation-email.service';
import { PatientUpdateDto } from '../../patients/patient.dto';
import { PatientsService } from '../../patients/patients.service';
import { ReviewsService } from '../../reviews/reviews.service';
import { LinkFlash } from '../link-flash';
import { Form, Page, PageError, PageModel, Redirect, redirectTo, takeForm, View } from '../page';
import { accessHistoryView, patientHistoryPageView } from './access-history-view';
import { patientPageView } from './patient-page-view';

/** How many entries of the access history the patient page shows; older ones are a link away. */
export const HISTORY_ON_PAGE = 10;
/** Entries per page of the full access history. */
const HISTORY_PAGE_SIZE = 50;

/**
 * A patient's page: details (edit them, archive or unarchive), invitation links (create with a QR code, revoke,
 * re-issue), intakes over time with their status, the latest assessment and
 * trend charts across intakes. Every form answers with a redirect back here.
 */
@Controller()
export class PatientPageController {
  constructor(
    private readonly patients: PatientsService,
    private readonly invitations: InvitationsService,
    private readonly emails: InvitationEmailService,
    private readonly reviews: ReviewsService,
    private readonly newLinks: LinkFlash,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('patients/:id')
  @AuditedRoute('patient.view', 'patient')
  @Page('clinic/patient')
  async show(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Query('replace') replace: string | undefined,
    @Query('send') send: string | undefined,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
  ): Promise<PageModel> {
    const confirm = PROTOCOLS.find((protocol) => protocol === replace);
    return this.model(scope, id, meta, time, req, confirm, send === 'email');
  }

  /** Who did what on this patient's records, newest first, fifty a page. */
  @Get('patients/:id/history')
  @AuditedRoute('patient.access_history', 'patient')
  @Page('clinic/patient-history')
  async history(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Query('before') before: string | undefined,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<PageModel> {
    // An unreadable "older than" starts from the newest entry rather than failing.
    const from = before && /^[1-9]\d{0,17}$/.test(before) ? before : undefined;
    const page = await this.audit.readPatientHistory(scope, id, meta, {
      before: from,
      limit: HISTORY_PAGE_SIZE,
    });
    const patient = await this.patients.heading(scope, id);
    return patientHistoryPageView(patient, page, time, Boolean(from));
  }

  @Post('patients/:id/invitations')
  @AuditedRoute('invitation.create', 'patient')
  @Form()
  async invite(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const page = async () =>
      new View('clinic/patient', await this.model(scope, id, meta, time, req));
    return takeForm(InvitationCreateDto, body, page, async (dto) => {
      try {
        const made = await this.invitations.create(scope, id, dto, meta);
        this.newLinks.put(req, res, pageOf(id), made);
        return redirectTo(`/patients/${id}#new-link-notice`);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // Archived, or no email to send to (or email turned off): said on the page. Otherwise
        // an active link of this protocol exists: ask whether to replace it.
        const said = error.code === ErrorCode.ValidationFailed && error.fields[0]?.field === 'send';
        if (!said && error.code !== ErrorCode.Conflict) throw error;
        if (said || error.message === PATIENT_ARCHIVED) {
          const view = new View('clinic/patient', {
            ...(await page()).model,
            failure: error.message,
          });
          throw new PageError(error.code, error.message, view);
        }
        const send = dto.send === 'email' ? '&send=email' : '';
        return redirectTo(`/patients/${id}?replace=${dto.protocol}${send}#replace-link`);
      }
    });
  }

  /**
   * Names, reference, email and phone. A refused change shows the page again
   * with the form open, what was typed kept and each problem at its field.
   */
  @Post('patients/:id/details')
  @AuditedRoute('patient.update', 'patient')
  @Form()
  async update(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
  ): Promise<Redirect> {
    const page = async () =>
      new View('clinic/patient', {
        ...(await this.model(scope, id, meta, time, req)),
        editing: true,
      });
    return takeForm(PatientUpdateDto, body, page, async (dto) => {
      await this.patients.update(scope, id, dto, meta);
      return redirectTo(`/patients/${id}#details-title`);
    });
  }

  /** Out of the list, records kept, links stopped; the page says so and offers to undo. */
  @Post('patients/:id/archive')
  @AuditedRoute('patient.archive', 'patient')
  @Form()
  async archive(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    await this.patients.archive(scope, id, meta);
    return redirectTo(`/patients/${id}#archived-notice`);
  }

  @Post('patients/:id/unarchive')
  @AuditedRoute('patient.unarchive', 'patient')
  @Form()
  async unarchive(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    await this.patients.unarchive(scope, id, meta);
    return redirectTo(`/patients/${id}#details-title`);
  }

  /** A revoked link that was on show leaves the page with it. */
  @Post('invitations/:id/revoke')
  @AuditedRoute('invitation.revoke', 'invitation')
  @Form()
  async revoke(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const revoked = await this.invitations.revoke(scope, id, meta);
    const shown = this.newLinks.read<InvitationLinkDto>(req, pageOf(revoked.patientId));
    if (shown?.id === id) this.newLinks.clear(res);
    return redirectTo(`/patients/${revoked.patientId}#invitations-title`);
  }

  /**
   * Emails an active link (again): a lost email, a corrected address. What
   * became of it shows on the link's row; a refusal (the link ended, email
   * off, no address) is said on the page.
   */
  @Post('invitations/:id/email')
  @AuditedRoute('invitation.email', 'invitation')
  @Form()
  async email(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
  ): Promise<Redirect> {
    const { patientId } = await this.invitations.get(scope, id);
    try {
      await this.invitations.email(scope, id, meta);
      return redirectTo(`/patients/${patientId}#invitations-title`);
    } catch (error) {
      throw await this.refusalOnPage(error, [ErrorCode.Conflict, ErrorCode.ValidationFailed], {
        scope,
        patientId,
        meta,
        time,
        req,
      });
    }
  }

  /** Refused while another link of the protocol is active, or once the intake was sent: said on the page. */
  @Post('invitations/:id/reissue')
  @AuditedRoute('invitation.reissue', 'invitation')
  @Form()
  async reissue(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const { patientId } = await this.invitations.get(scope, id);
    try {
      const made = await this.invitations.reissue(scope, id, meta);
      this.newLinks.put(req, res, pageOf(patientId), made);
      return redirectTo(`/patients/${patientId}#new-link-notice`);
    } catch (error) {
      throw await this.refusalOnPage(error, [ErrorCode.Conflict], {
        scope,
        patientId,
        meta,
        time,
        req,
      });
    }
  }

  /**
   * A refusal of one of `codes` as the patient page, saying why; any other
   * error as it is.
   */
  private async refusalOnPage(
    error: unknown,
    codes: readonly ErrorCode[],
    at: {
      scope: ClinicScope;
      patientId: string;
      meta: RequestMeta;
      time: ClinicTime;
      req: Request;
    },
  ): Promise<unknown> {
    if (!(error instanceof DomainError) || !codes.includes(error.code)) return error;
    const model = await this.model(at.scope, at.patientId, at.meta, at.time, at.req);
    const view = new View('clinic/patient', { ...model, failure: error.message });
    return new PageError(error.code, error.message, view);
  }

  private async model(
    scope: ClinicScope,
    patientId: string,
    meta: RequestMeta,
    time: ClinicTime,
    req: Request,
    confirmReplace?: Protocol,
    replaceAndSend = false,
  ): Promise<PageModel> {
    const patient = await this.patients.get(scope, patientId, meta);
    const invitations = await this.invitations.listOnPatientPage(scope, patientId);
    const intakes = await this.reviews.history(scope, patientId);
    const latest = [...intakes].reverse().find((intake) => intake.status !== 'in_progress');
    const latestAssessment = latest && (await this.reviews.latestAssessment(scope, latest.id));
    const latestMarked =
      latestAssessment && (await this.reviews.markCounts(scope, latestAssessment)).marked;
    // Read after the view is recorded, so that it shows this visit first.
    const history = await this.audit.patientHistory(scope, patientId, { limit: HISTORY_ON_PAGE });
    const replacing =
      confirmReplace &&
      invitations.find((i) => i.protocol === confirmReplace && i.state === 'active');
    const view = patientPageView({
      time,
      patient,
      invitations,
      intakes,
      latest,
      latestAssessment,
      latestMarked,
      newLink: this.newLinks.read<InvitationLinkDto>(req, pageOf(patientId)),
      publicUrl: this.config.publicUrl,
      emailEnabled: this.emails.enabled,
      confirmReplace: replacing && {
        send: replaceAndSend && Boolean(patient.email),
        protocol: confirmReplace,
        protocolLabel: PROTOCOL_LABELS[confirmReplace],
        createdAt: replacing.createdAt,
      },
    });
    return { ...view, history: accessHistoryView(history, time, `/patients/${patientId}/history`) };
  }
}

const pageOf = (patientId: string): string => `/patients/${patientId}`;
