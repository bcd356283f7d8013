import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { Meta, RequestMeta, Scope, Time } from '../../auth/actor';
import { ClinicTime } from '../../common/clinic-time';
import { ClinicScope } from '../../common/clinic-scope';
import { PatientCreateDto, PatientListQueryDto } from '../../patients/patient.dto';
import { PatientsService } from '../../patients/patients.service';
import { Form, Page, PageModel, Redirect, redirectTo, takeForm, View } from '../page';
import { patientListView } from './patient-list-view';

/** The clinician's start page: the clinic's patients, and adding one. */
@Controller()
export class PatientListController {
  constructor(private readonly patients: PatientsService) {}

  @Get()
  @Page('clinic/patients')
  async home(
    @Scope() scope: ClinicScope,
    @Query() query: PatientListQueryDto,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<PageModel> {
    return patientListView(query, await this.patients.list(scope, query, meta), time);
  }

  /** A reference another patient has is refused next to its field, with what was typed. */
  @Post('patients')
  @Form()
  create(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<Redirect> {
    const page = async () =>
      new View(
        'clinic/patients',
        patientListView({}, await this.patients.list(scope, {}, meta), time),
      );
    return takeForm(PatientCreateDto, body, page, async (dto) => {
      const patient = await this.patients.create(scope, dto, meta);
      return redirectTo(`/patients/${patient.id}`);
    });
  }
}
