import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditedRoute } from '../audit/audited-route';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ApiEndpoint } from '../common/api-endpoint';
import {
  PATIENT_CREATE_EXAMPLE,
  PATIENT_DETAIL_EXAMPLE,
  PATIENT_PAGE_EXAMPLE,
  PATIENT_UPDATE_EXAMPLE,
} from '../common/api-examples';
import { ClinicScope } from '../common/clinic-scope';
import { ErrorCode } from '../common/domain-error';
import { IdParamPipe } from '../common/id-param.pipe';
import {
  PatientCreateDto,
  PatientDetailDto,
  PatientListQueryDto,
  PatientPageDto,
  PatientUpdateDto,
} from './patient.dto';
import { PatientsService } from './patients.service';

@ApiTags('patients')
@Controller('api/patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Get()
  @ApiEndpoint({
    summary: "The clinic's patients",
    description:
      'Fifty a page by default (`limit` up to 100), ordered by last activity; `q` searches names and reference, `status` and `protocol` narrow, archived patients are left out unless `archived` is `include` or `only`. Continue with `after` = the page’s `next`.',
    scope: 'patients:read',
    ok: { type: PatientPageDto, description: 'A page of patients', example: PATIENT_PAGE_EXAMPLE },
    errors: [ErrorCode.ValidationFailed],
  })
  list(
    @Scope() scope: ClinicScope,
    @Query() query: PatientListQueryDto,
    @Meta() meta: RequestMeta,
  ): Promise<PatientPageDto> {
    return this.patients.list(scope, query, meta);
  }

  @Get(':id')
  @AuditedRoute('patient.view', 'patient')
  @ApiEndpoint({
    summary: 'One patient, with contact details',
    description: 'Names, reference, email and phone, status of the latest intake, archiving.',
    scope: 'patients:read',
    ok: { type: PatientDetailDto, description: 'The patient', example: PATIENT_DETAIL_EXAMPLE },
    errors: [ErrorCode.NotFound],
  })
  get(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    return this.patients.get(scope, id, meta);
  }

  @Post()
  @ApiEndpoint({
    summary: 'Add a patient',
    description:
      'Given and family name; optionally the clinic’s reference (unique in the clinic), an email (for emailed links and reminders) and a phone.',
    scope: 'patients:write',
    body: { type: PatientCreateDto, example: PATIENT_CREATE_EXAMPLE },
    ok: {
      status: HttpStatus.CREATED,
      type: PatientDetailDto,
      description: 'The new patient',
      example: PATIENT_DETAIL_EXAMPLE,
    },
    errors: [ErrorCode.ValidationFailed, ErrorCode.Conflict],
  })
  create(
    @Scope() scope: ClinicScope,
    @Body() dto: PatientCreateDto,
    @Meta() meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    return this.patients.create(scope, dto, meta);
  }

  @Patch(':id')
  @AuditedRoute('patient.update', 'patient')
  @ApiEndpoint({
    summary: "Change a patient's names, reference, email or phone",
    description:
      'Only the fields sent change. A blank or null reference, email or phone removes it; a new email ends the links emailed to the old one. ' +
      'Two changes at the same time: the later one wins, field by field (no version check). ' +
      'The audit event names the fields that changed, never their values.',
    scope: 'patients:write',
    body: { type: PatientUpdateDto, example: PATIENT_UPDATE_EXAMPLE },
    ok: { type: PatientDetailDto, description: 'The patient now', example: PATIENT_DETAIL_EXAMPLE },
    errors: [ErrorCode.ValidationFailed, ErrorCode.Conflict, ErrorCode.NotFound],
  })
  update(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Body() dto: PatientUpdateDto,
    @Meta() meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    return this.patients.update(scope, id, dto, meta);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @AuditedRoute('patient.archive', 'patient')
  @ApiEndpoint({
    summary: 'Archive a patient',
    description:
      'The patient leaves the list (unless `archived` is asked for) and keeps every record. ' +
      'Their invitation links stop working at once, as revoked links do, no email about them goes, and no link can be ' +
      'made until they are unarchived. Archiving an archived patient changes nothing.',
    scope: 'patients:write',
    ok: {
      type: PatientDetailDto,
      description: 'The patient, archived',
      example: { ...PATIENT_DETAIL_EXAMPLE, archivedAt: '2026-12-05T16:00:00.000Z' },
    },
    errors: [ErrorCode.NotFound],
  })
  archive(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    return this.patients.archive(scope, id, meta);
  }

  @Post(':id/unarchive')
  @HttpCode(200)
  @AuditedRoute('patient.unarchive', 'patient')
  @ApiEndpoint({
    summary: 'Unarchive a patient',
    description: 'Back in the list; their links that are neither revoked nor expired work again.',
    scope: 'patients:write',
    ok: { type: PatientDetailDto, description: 'The patient', example: PATIENT_DETAIL_EXAMPLE },
    errors: [ErrorCode.NotFound],
  })
  unarchive(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    return this.patients.unarchive(scope, id, meta);
  }
}
