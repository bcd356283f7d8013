import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Meta, RequestMeta, Roles, Scope, Time } from '../auth/actor';
import { ClinicTime } from '../common/clinic-time';
import { ClinicScope } from '../common/clinic-scope';
import {
  AuditEventListQueryDto,
  AuditEventResponseDto,
  AuditExportQueryDto,
} from './audit-event.dto';
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

  /**
   * The log from the first to the last day (the clinic's, inclusive, at most
   * 366 days) as CSV with a header row, oldest first, streamed. Exporting is
   * itself recorded.
   */
  @Get('export')
  @ApiProduces('text/csv')
  async export(
    @Scope() scope: ClinicScope,
    @Query() query: AuditExportQueryDto,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<StreamableFile> {
    const { filename, stream } = await this.audit.exportCsv(scope, query, meta, time);
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${filename}"`,
    });
  }
}
