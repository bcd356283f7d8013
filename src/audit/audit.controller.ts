import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles, Scope } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { AuditEventListQueryDto, AuditEventResponseDto, mapAuditEvent } from './audit-event.dto';
import { AuditService } from './audit.service';

/** The clinic's audit log, for its admins. */
@ApiTags('audit')
@ApiCookieAuth()
@Roles('admin')
@Controller('api/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOkResponse({ type: [AuditEventResponseDto] })
  async list(
    @Scope() scope: ClinicScope,
    @Query() query: AuditEventListQueryDto,
  ): Promise<AuditEventResponseDto[]> {
    const events = await this.audit.listForClinic(scope, query.limit ?? 100);
    return events.map(mapAuditEvent);
  }
}
