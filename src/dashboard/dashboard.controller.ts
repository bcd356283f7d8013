import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Meta, RequestMeta, Scope } from '../auth/actor';
import { ClinicScope } from '../common/clinic-scope';
import { PatientListQueryDto } from '../patients/patient.dto';
import { PatientsService } from '../patients/patients.service';
import { Pages } from '../views/pages';

/** The clinician's start page: the clinic's patients. */
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
    const patients = await this.patients.list(scope, query, meta);
    const rows = patients.map((patient) => ({
      ...patient,
      createdAtDay: patient.createdAt.slice(0, 10),
    }));
    this.pages.send(req, res, 'patients', { title: 'Patients', patients: rows, q: query.q ?? '' });
  }
}
