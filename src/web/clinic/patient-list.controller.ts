import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, FieldProblem } from '../common/domain-error';
import { validateForm } from '../common/form-validation';
import { PatientCreateDto, PatientListQueryDto } from '../patients/patient.dto';
import { PatientsService } from '../patients/patients.service';
import { Pages } from '../views/pages';
import { patientListView } from './patient-list-view';

/** The clinician's start page: the clinic's patients, and adding one. */
@ApiExcludeController()
@Controller()
export class DashboardController {
  constructor(
    private readonly patients: PatientsService,
    private readonly pages: Pages,
  ) {}

  @Get()
  async home(
    @Scope() scope: ClinicScope,
    @Query() query: PatientListQueryDto,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.patients.list(scope, query, meta);
    this.pages.send(req, res, 'patients', patientListView(query, page));
  }

  @Post('patients')
  async create(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { value, problems } = validateForm(PatientCreateDto, body);
    let refused: readonly FieldProblem[] = problems;
    if (refused.length === 0) {
      try {
        const patient = await this.patients.create(scope, value, meta);
        return res.redirect(303, `/patients/${patient.id}`);
      } catch (error) {
        // A reference another patient has: shown next to the field, with what was typed.
        if (!(error instanceof DomainError) || error.fields.length === 0) throw error;
        refused = error.fields;
      }
    }
    const page = await this.patients.list(scope, {}, meta);
    this.pages.send(
      req,
      res,
      'patients',
      { ...patientListView({}, page), newPatient: value, problems: refused },
      400,
    );
  }
}
