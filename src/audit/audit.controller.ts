import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Meta, RequestMeta, Roles, Scope, Time } from '../auth/actor';
import { ClinicTime } from '../common/clinic-time';
import { ClinicScope } from '../common/clinic-scope';
import { AuditEventListQueryDto, AuditEventResponseDto } from './audit-event.dto';
import { AuditService } from './audit.service';

/** The clinic's audit log, for its admins. */
@ApiTags('audit')
@ApiCookieAuth()
@Roles('admin')
@Controller('api/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * Newest first. For the next page, pass the last event's id as `before`.
   * The days `from` and `to` are the clinic's, in its time zone.
   */
  @Get()
  @ApiOkResponse({ type: [AuditEventResponseDto] })
  async list(
    @Scope() scope: ClinicScope,
    @Query() query: AuditEventListQueryDto,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<AuditEventResponseDto[]> {
    return (await this.audit.listForClinic(scope, query, meta, time)).events;
  }
}
