import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Meta, RequestMeta, Roles, Scope, Time } from '../auth/actor';
import { ApiEndpoint } from '../common/api-endpoint';
import { ClinicTime } from '../common/clinic-time';
import { ErrorCode } from '../common/domain-error';
import { ClinicScope } from '../common/clinic-scope';
import {
  AuditEventListQueryDto,
  AuditEventResponseDto,
  AuditExportQueryDto,
} from './audit-event.dto';
import { AuditService } from './audit.service';

/** The clinic's audit log, for its admins. */
const EVENT_EXAMPLE = {
  id: '18342',
  occurredAt: '2026-12-04T10:15:00.000Z',
  actorType: 'api_key',
  actorId: '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a',
  actorName: 'API key "Practice EHR"',
  outsideClinic: false,
  action: 'point.review',
  actionDescription: 'Marked a discussion point',
  targetType: 'assessment',
  targetId: '4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f',
  targetName: null,
  patientId: '6f1d2c7a-3b4e-4f5a-9c8d-1e2f3a4b5c6d',
  patientName: 'Ada Example',
  patientReference: 'MRN-1042',
  outcome: 'success',
  requestId: '0b6f2c1e-8c1d-4a52-9f7a-2f1f0c9d3e11',
};

@ApiTags('audit')
@Roles('admin')
@Controller('api/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * Newest first. For the next page, pass the last event's id as `before`.
   * The days `from` and `to` are the clinic's, in its time zone.
   */
  @Get()
  @ApiEndpoint({
    summary: "The clinic's audit log",
    description:
      'Newest first, filtered by action, outcome, patient and days (the clinic’s). For the next page pass the last event’s id as `before`. Admins only.',
    ok: {
      type: [AuditEventResponseDto],
      description: 'A page of events',
      example: [EVENT_EXAMPLE],
    },
    errors: [ErrorCode.ValidationFailed],
  })
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
  @ApiEndpoint({
    summary: 'The audit log as CSV',
    description:
      'From the first to the last day (the clinic’s, inclusive, at most 366 days), oldest first, with a header row. Exporting is itself recorded. Admins only.',
    produces: 'text/csv',
    ok: {
      description: 'The CSV file',
      example:
        'id,occurred_at,actor_type,actor,action,outcome,patient,target_type,target_id,request_id,ip\n18342,2026-12-04T10:15:00.000Z,api_key,API key "Practice EHR",point.review,success,Ada Example,assessment,4c5d…,0b6f…,203.0.113.9\n',
    },
    errors: [ErrorCode.ValidationFailed],
  })
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
