import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuditedRoute } from '../audit/audited-route';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { IdParamPipe } from '../common/id-param.pipe';
import { InvitationCreateDto, InvitationLinkDto, InvitationResponseDto } from './invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('invitations')
@ApiCookieAuth()
@Controller('api')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('patients/:patientId/invitations')
  @AuditedRoute('invitation.create', 'patient', 'patientId')
  @ApiCreatedResponse({ type: InvitationLinkDto })
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
  @ApiOkResponse({ type: [InvitationResponseDto] })
  list(
    @Scope() scope: ClinicScope,
    @Param('patientId', IdParamPipe) patientId: string,
    @Meta() meta: RequestMeta,
  ): Promise<InvitationResponseDto[]> {
    return this.invitations.list(scope, patientId, meta);
  }

  @Post('invitations/:id/revoke')
  @AuditedRoute('invitation.revoke', 'invitation')
  @ApiCreatedResponse({ type: InvitationResponseDto })
  revoke(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<InvitationResponseDto> {
    return this.invitations.revoke(scope, id, meta);
  }

  @Post('invitations/:id/email')
  @AuditedRoute('invitation.email', 'invitation')
  @ApiOperation({
    summary: 'Email an active link to the patient',
    description:
      "Sends the link to the patient's email address (a link of its own in the email, since the link's token is never kept) and plans its reminders on the clinic's schedule if they were not. Asking again within a minute sends nothing new. 400 at `send` when email is off or the patient has no address; 409 when the link is no longer active or its intake was sent.",
  })
  @ApiCreatedResponse({ type: InvitationResponseDto })
  email(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<InvitationResponseDto> {
    return this.invitations.email(scope, id, meta);
  }

  @Post('invitations/:id/reissue')
  @AuditedRoute('invitation.reissue', 'invitation')
  @ApiCreatedResponse({ type: InvitationLinkDto })
  reissue(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<InvitationLinkDto> {
    return this.invitations.reissue(scope, id, meta);
  }
}
