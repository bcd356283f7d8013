import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditedRoute } from '../audit/audited-route';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { IdParamPipe } from '../common/id-param.pipe';
import {
  PatientCreateDto,
  PatientListQueryDto,
  PatientPageDto,
  PatientResponseDto,
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
  @ApiOkResponse({ type: PatientResponseDto })
  get(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<PatientResponseDto> {
    return this.patients.get(scope, id, meta);
  }

  @Post()
  create(
    @Scope() scope: ClinicScope,
    @Body() dto: PatientCreateDto,
    @Meta() meta: RequestMeta,
  ): Promise<PatientResponseDto> {
    return this.patients.create(scope, dto, meta);
  }
}
