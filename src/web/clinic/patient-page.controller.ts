import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { validateForm } from '../common/form-validation';
import { IdParamPipe } from '../common/id-param.pipe';
import { PROTOCOL_LABELS, PROTOCOLS } from '../common/protocol';
import { InvitationCreateDto, InvitationLinkDto } from '../invitations/invitation.dto';
import { InvitationsService } from '../invitations/invitations.service';
import { PatientsService } from '../patients/patients.service';
import { ReviewsService } from '../reviews/reviews.service';
import { Pages } from '../views/pages';
import { patientHistoryView } from './patient-history-view';
import { qrCodeSvg } from './qr-code';

const STATE_LABELS = { active: 'Active', revoked: 'Revoked', expired: 'Expired' } as const;

/**
 * A patient's page: details, invitation links (create with a QR code, revoke,
 * re-issue), intakes over time with their status, the latest assessment and
 * trend charts across intakes.
 */
@ApiExcludeController()
@Controller()
export class PatientPageController {
  constructor(
    private readonly patients: PatientsService,
    private readonly invitations: InvitationsService,
    private readonly reviews: ReviewsService,
    private readonly pages: Pages,
  ) {}

  @Get('patients/:id')
  async show(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.render(scope, id, meta, req, res);
  }

  @Post('patients/:id/invitations')
  async invite(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { value, problems } = validateForm(InvitationCreateDto, body);
    if (problems.length > 0) {
      return this.render(
        scope,
        id,
        meta,
        req,
        res,
        { problems: [{ field: 'protocol', message: 'Choose the protocol.' }] },
        400,
      );
    }
    const made = await this.invitations.create(scope, id, value, meta);
    await this.render(scope, id, meta, req, res, { newLink: made });
  }

  @Post('invitations/:id/revoke')
  async revoke(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Res() res: Response,
  ): Promise<void> {
    const revoked = await this.invitations.revoke(scope, id, meta);
    res.redirect(303, `/patients/${revoked.patientId}`);
  }

  @Post('invitations/:id/reissue')
  async reissue(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const made = await this.invitations.reissue(scope, id, meta);
    await this.render(scope, made.patientId, meta, req, res, { newLink: made });
  }

  private async render(
    scope: ClinicScope,
    patientId: string,
    meta: RequestMeta,
    req: Request,
    res: Response,
    extra: { newLink?: InvitationLinkDto; problems?: { field: string; message: string }[] } = {},
    status = 200,
  ): Promise<void> {
    const patient = await this.patients.get(scope, patientId, meta);
    const invitations = (await this.invitations.list(scope, patientId)).map((invitation) => ({
      ...invitation,
      stateLabel: STATE_LABELS[invitation.state],
      expiresDay: invitation.expiresAt.slice(0, 10),
      firstUsedDay: invitation.firstUsedAt?.slice(0, 10),
      canRevoke: invitation.state === 'active',
    }));
    const intakes = await this.reviews.history(scope, patientId);
    const latest = [...intakes].reverse().find((intake) => intake.status !== 'in_progress');
    const latestAssessment = latest && (await this.reviews.latestAssessment(scope, latest.id));
    this.pages.send(
      req,
      res,
      'patient',
      {
        title: `${patient.givenName} ${patient.familyName}`,
        patient,
        invitations,
        protocols: PROTOCOLS.map((value) => ({ value, label: PROTOCOL_LABELS[value] })),
        newLink: extra.newLink && {
          ...extra.newLink,
          expiresDay: extra.newLink.expiresAt.slice(0, 10),
          qrSvg: qrCodeSvg(extra.newLink.link, { size: 200 }),
        },
        ...patientHistoryView(intakes, latest, latestAssessment),
        problems: extra.problems,
      },
      status,
    );
  }
}
