import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  UseFilters,
} from '@nestjs/common';
import type { Request } from 'express';
import { ApiExcludeController } from '@nestjs/swagger';
import type {
  Bundle,
  CapabilityStatement,
  Observation,
  Patient,
  Questionnaire,
  QuestionnaireResponse,
} from '@medplum/fhirtypes';
import { IsObject, IsOptional, IsString, isUUID } from 'class-validator';
import { ApiKeyScopeNeeded, Meta, Public, RequestMeta, Scope } from '../auth/actor';
import { AuditedRoute } from '../audit/audited-route';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode } from '../common/domain-error';
import { IdParamPipe } from '../common/id-param.pipe';
import { CDS_SERVICE_ID, cdsDiscovery, CdsDiscovery, CdsResponse } from './index';
import { FhirErrorFilter } from './fhir-error.filter';
import { FhirService } from './fhir.service';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** An Observation's id is its intake's id, a dash, and the instrument's (see mapObservations). */
const intakeOfObservation = (id: string): string => id.slice(0, 36);

/**
 * A read-only FHIR R4 server under /fhir, for a clinic's EHR: the
 * CapabilityStatement (open to all: it holds no patient data), the
 * questionnaire versions, and the clinic's patients, sent intakes and
 * instrument scores, by API key (or a staff session) with the scopes named.
 * Described by its CapabilityStatement rather than the OpenAPI document.
 */
@ApiExcludeController()
@UseFilters(FhirErrorFilter)
@Controller('fhir')
export class FhirController {
  constructor(private readonly fhir: FhirService) {}

  @Get('metadata')
  @Public()
  @Header('Content-Type', FHIR_JSON)
  metadata(): CapabilityStatement {
    return this.fhir.metadata();
  }

  @Get('Questionnaire')
  @ApiKeyScopeNeeded('intakes:read')
  @Header('Content-Type', FHIR_JSON)
  questionnaires(@Query('url') url?: unknown): Bundle {
    return this.fhir.searchQuestionnaires(url);
  }

  @Get('Questionnaire/:id')
  @ApiKeyScopeNeeded('intakes:read')
  @Header('Content-Type', FHIR_JSON)
  questionnaire(@Param('id') id: string): Questionnaire {
    return this.fhir.questionnaire(id);
  }

  @Get('Patient')
  @ApiKeyScopeNeeded('patients:read')
  @Header('Content-Type', FHIR_JSON)
  patients(
    @Scope() scope: ClinicScope,
    @Query('_id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<Bundle> {
    return this.fhir.searchPatients(scope, id, meta);
  }

  @Get('Patient/:id')
  @AuditedRoute('patient.view', 'patient')
  @ApiKeyScopeNeeded('patients:read')
  @Header('Content-Type', FHIR_JSON)
  patient(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<Patient> {
    return this.fhir.patient(scope, id, meta);
  }

  /** The patient and their intakes: a key needs both scopes (it names the patient). */
  @Get('Patient/:id/\\$everything')
  @AuditedRoute('patient.view', 'patient')
  @ApiKeyScopeNeeded('intakes:read')
  @Header('Content-Type', FHIR_JSON)
  everything(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
  ): Promise<Bundle> {
    if (req.apiClient && !req.apiClient.scopes.includes('patients:read')) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'This API key does not have the scope patients:read, which $everything needs besides intakes:read.',
      );
    }
    return this.fhir.everything(scope, id, meta);
  }

  @Get('QuestionnaireResponse')
  @ApiKeyScopeNeeded('intakes:read')
  @Header('Content-Type', FHIR_JSON)
  responses(
    @Scope() scope: ClinicScope,
    @Query('patient') patient: unknown,
    @Query('subject') subject: unknown,
    @Query('questionnaire') questionnaire: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Bundle> {
    return this.fhir.searchByPatient(
      scope,
      patient ?? subject,
      'QuestionnaireResponse',
      meta,
      questionnaire,
    );
  }

  @Get('QuestionnaireResponse/:id')
  @AuditedRoute('intake.view', 'intake')
  @ApiKeyScopeNeeded('intakes:read')
  @Header('Content-Type', FHIR_JSON)
  response(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<QuestionnaireResponse> {
    return this.fhir.questionnaireResponse(scope, id, meta);
  }

  @Get('Observation')
  @ApiKeyScopeNeeded('intakes:read')
  @Header('Content-Type', FHIR_JSON)
  observations(
    @Scope() scope: ClinicScope,
    @Query('patient') patient: unknown,
    @Query('subject') subject: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Bundle> {
    return this.fhir.searchByPatient(scope, patient ?? subject, 'Observation', meta);
  }

  @Get('Observation/:id')
  @AuditedRoute('intake.view', 'intake', 'id', intakeOfObservation)
  @ApiKeyScopeNeeded('intakes:read')
  @Header('Content-Type', FHIR_JSON)
  observation(
    @Scope() scope: ClinicScope,
    @Param('id') id: string,
    @Meta() meta: RequestMeta,
  ): Promise<Observation> {
    return this.fhir.observation(scope, id, meta);
  }
}

/** A CDS Hooks request: what the specification lets a client send; only the patient is read. */
export class CdsRequestDto {
  @IsString({ message: 'hook must be the hook name' })
  hook!: string;

  @IsString({ message: 'hookInstance must be a string' })
  hookInstance!: string;

  @IsObject({ message: 'context must be an object with patientId' })
  context!: { patientId?: unknown };

  @IsOptional()
  @IsString({ message: 'fhirServer must be a URL' })
  fhirServer?: string;

  @IsOptional()
  @IsObject({ message: 'fhirAuthorization must be an object' })
  fhirAuthorization?: Record<string, unknown>;

  @IsOptional()
  @IsObject({ message: 'prefetch must be an object' })
  prefetch?: Record<string, unknown>;
}

/**
 * The discussion points as CDS Hooks cards (information only: no
 * suggestions, no actions), on `patient-view`. Discovery is open; the
 * service needs an API key with `intakes:read` (or a staff session).
 */
@ApiExcludeController()
@Controller('cds-services')
export class CdsHooksController {
  constructor(private readonly fhir: FhirService) {}

  @Get()
  @Public()
  discovery(): CdsDiscovery {
    return cdsDiscovery();
  }

  @Post(CDS_SERVICE_ID)
  @HttpCode(HttpStatus.OK)
  @ApiKeyScopeNeeded('intakes:read')
  cards(
    @Scope() scope: ClinicScope,
    @Body() request: CdsRequestDto,
    @Meta() meta: RequestMeta,
  ): Promise<CdsResponse> {
    const patientId = request.context.patientId;
    if (typeof patientId !== 'string' || !isUUID(patientId)) {
      const message = 'context.patientId must be the id of one of the clinic’s patients.';
      throw new DomainError(ErrorCode.ValidationFailed, message, [
        { field: 'context.patientId', message },
      ]);
    }
    return this.fhir.cards(scope, patientId, meta);
  }
}
