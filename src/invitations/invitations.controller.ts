import { Body, Controller, Get, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditedRoute } from '../audit/audited-route';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ApiEndpoint } from '../common/api-endpoint';
import {
  INVITATION_CREATE_EXAMPLE,
  INVITATION_EXAMPLE,
  INVITATION_LINK_EXAMPLE,
} from '../common/api-examples';
import { ClinicScope } from '../common/clinic-scope';
import { ErrorCode } from '../common/domain-error';
import { IdParamPipe } from '../common/id-param.pipe';
import { InvitationCreateDto, InvitationLinkDto, InvitationResponseDto } from './invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('invitations')
@Controller('api')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('patients/:patientId/invitations')
  @AuditedRoute('invitation.create', 'patient', 'patientId')
  @ApiEndpoint({
    summary: 'Make an invitation link for a patient',
    description:
      'A link to the intake of a protocol, valid for INVITATION_TTL_DAYS days. The link (`link`) is in this answer only: only its hash is kept. With `send: "email"` it is also emailed to the patient, and the clinic’s reminders are planned. While the patient has an active link of the protocol, refused (409) unless `replace` is true.',
    scope: 'invitations:write',
    body: { type: InvitationCreateDto, example: INVITATION_CREATE_EXAMPLE },
    ok: {
      status: HttpStatus.CREATED,
      type: InvitationLinkDto,
      description: 'The link, shown once',
      example: INVITATION_LINK_EXAMPLE,
    },
    errors: [ErrorCode.ValidationFailed, ErrorCode.NotFound, ErrorCode.Conflict],
  })
  create(
    @Scope() scope: ClinicScope,
    @Param('patientId', IdParamPipe) patientId: string,
    @Body() dto: InvitationCreateDto,
    @Meta() meta: RequestMeta,
  ): Promise<InvitationLinkDto> {
    return this.invitations.create(scope, patientId, dto, meta);
  }

  @Get('patients/:patientId/invitations')
  @AuditedRoute('invitation.list', 'patient', 'patientId')
  @ApiEndpoint({
    summary: "A patient's links",
    description:
      'Newest first, with their state, their emails and reminders; never the link itself.',
    scope: 'patients:read',
    ok: { type: [InvitationResponseDto], description: 'The links', example: [INVITATION_EXAMPLE] },
    errors: [ErrorCode.NotFound],
  })
  list(
    @Scope() scope: ClinicScope,
    @Param('patientId', IdParamPipe) patientId: string,
    @Meta() meta: RequestMeta,
  ): Promise<InvitationResponseDto[]> {
    return this.invitations.list(scope, patientId, meta);
  }

  @Post('invitations/:id/revoke')
  @AuditedRoute('invitation.revoke', 'invitation')
  @ApiEndpoint({
    summary: 'Revoke a link',
    description:
      'The link stops working at once, and the patient’s open session with it ends; no email about it goes. Revoking twice changes nothing.',
    scope: 'invitations:write',
    ok: {
      status: HttpStatus.CREATED,
      type: InvitationResponseDto,
      description: 'The link, revoked',
      example: { ...INVITATION_EXAMPLE, state: 'revoked' },
    },
    errors: [ErrorCode.NotFound],
  })
  revoke(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<InvitationResponseDto> {
    return this.invitations.revoke(scope, id, meta);
  }

  @Post('invitations/:id/email')
  @AuditedRoute('invitation.email', 'invitation')
  @ApiEndpoint({
    summary: 'Email an active link to the patient',
    description:
      "Sends the link to the patient's email address (a link of its own in the email, since the link's token is never kept) and plans its reminders on the clinic's schedule if they were not. Asking again within a minute of a send sends nothing new; asking while a retry waits tries it now. 400 at `send` when email is off or the patient has no address; 409 when the link is no longer active or its intake was sent.",
    scope: 'invitations:write',
    ok: {
      status: HttpStatus.CREATED,
      type: InvitationResponseDto,
      description: 'The link, with how its email went',
      example: INVITATION_EXAMPLE,
    },
    errors: [ErrorCode.ValidationFailed, ErrorCode.NotFound, ErrorCode.Conflict],
  })
  email(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<InvitationResponseDto> {
    return this.invitations.email(scope, id, meta);
  }

  @Post('invitations/:id/reissue')
  @AuditedRoute('invitation.reissue', 'invitation')
  @ApiEndpoint({
    summary: 'Re-issue a link',
    description:
      'The same invitation (and the answers already given) under a new link, valid anew; the old link and its emails stop working. Refused (409) once its intake was sent, or while another link of the protocol is active.',
    scope: 'invitations:write',
    ok: {
      status: HttpStatus.CREATED,
      type: InvitationLinkDto,
      description: 'The new link, shown once',
      example: { ...INVITATION_LINK_EXAMPLE, email: null, reminders: [] },
    },
    errors: [ErrorCode.NotFound, ErrorCode.Conflict],
  })
  reissue(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<InvitationLinkDto> {
    return this.invitations.reissue(scope, id, meta);
  }
}
