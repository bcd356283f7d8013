import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuditedRoute } from '../audit/audited-route';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
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
@ApiCookieAuth()
@Controller('api/patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Get()
  @ApiOkResponse({ type: PatientPageDto })
  list(
    @Scope() scope: ClinicScope,
    @Query() query: PatientListQueryDto,
    @Meta() meta: RequestMeta,
  ): Promise<PatientPageDto> {
    return this.patients.list(scope, query, meta);
  }

  @Get(':id')
  @AuditedRoute('patient.view', 'patient')
  @ApiOkResponse({ type: PatientDetailDto })
  get(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    return this.patients.get(scope, id, meta);
  }

  @Post()
  @ApiCreatedResponse({ type: PatientDetailDto })
  create(
    @Scope() scope: ClinicScope,
    @Body() dto: PatientCreateDto,
    @Meta() meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    return this.patients.create(scope, dto, meta);
  }

  @Patch(':id')
  @AuditedRoute('patient.update', 'patient')
  @ApiOperation({
    summary: "Change a patient's names, reference, email or phone",
    description:
      'Only the fields sent change. A blank or null reference, email or phone removes it. ' +
      'Two changes at the same time: the later one wins, field by field (no version check). ' +
      'The audit event names the fields that changed, never their values.',
  })
  @ApiOkResponse({ type: PatientDetailDto })
  @ApiBadRequestResponse({ description: 'A field is not valid: each problem names its field' })
  @ApiConflictResponse({ description: 'Another patient of the clinic has this reference' })
  @ApiNotFoundResponse({ description: "No such patient in the caller's clinic" })
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
  @ApiOperation({
    summary: 'Archive a patient',
    description:
      'The patient leaves the list (unless `archived` is asked for) and keeps every record. ' +
      'Their invitation links stop working at once, as revoked links do, and no link can be ' +
      'made until they are unarchived. Archiving an archived patient changes nothing.',
  })
  @ApiOkResponse({ type: PatientDetailDto })
  @ApiNotFoundResponse({ description: "No such patient in the caller's clinic" })
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
  @ApiOperation({
    summary: 'Unarchive a patient',
    description: 'Back in the list; their links that are neither revoked nor expired work again.',
  })
  @ApiOkResponse({ type: PatientDetailDto })
  @ApiNotFoundResponse({ description: "No such patient in the caller's clinic" })
  unarchive(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<PatientDetailDto> {
    return this.patients.unarchive(scope, id, meta);
  }
}
