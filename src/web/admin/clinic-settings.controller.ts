import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { Meta, RequestMeta, Roles, Scope } from '../../auth/actor';
import { ClinicMfaDto, ClinicSettingsDto } from '../../clinics/clinic-settings.dto';
import { ClinicsService } from '../../clinics/clinics.service';
import { ClinicScope } from '../../common/clinic-scope';
import { serverTimeZone } from '../../common/clinic-time';
import { Form, Page, PageModel, Redirect, redirectTo, takeForm, View } from '../page';

const HOME = '/admin/clinic';

/** The clinic's settings: the time zone its pages show times in, and whether staff need two-step sign-in. */
@Roles('admin')
@Controller(HOME)
export class ClinicSettingsController {
  private readonly zones = Intl.supportedValuesOf('timeZone');

  constructor(private readonly clinics: ClinicsService) {}

  @Get()
  @Page('admin/clinic')
  async show(@Scope() scope: ClinicScope, @Query('saved') saved?: string): Promise<PageModel> {
    const clinic = await this.clinics.get(scope);
    return {
      ...this.model(clinic.timeZone ?? '', clinic.mfaRequired),
      saved: saved === '1',
      mfaSaved: saved === 'mfa',
    };
  }

  @Post()
  @Form()
  save(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    const page = async (_problems: unknown, typed: ClinicSettingsDto) =>
      new View(
        'admin/clinic',
        this.model(String(typed.timeZone ?? ''), (await this.clinics.get(scope)).mfaRequired),
      );
    return takeForm(ClinicSettingsDto, body, page, async (dto) => {
      await this.clinics.update(scope, dto, meta);
      return redirectTo(`${HOME}?saved=1`);
    });
  }

  @Post('mfa')
  @Form()
  saveMfa(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    const page = async () => {
      const clinic = await this.clinics.get(scope);
      return new View('admin/clinic', this.model(clinic.timeZone ?? '', clinic.mfaRequired));
    };
    return takeForm(ClinicMfaDto, body, page, async ({ mfaRequired }) => {
      await this.clinics.setMfaRequired(scope, mfaRequired === 'yes', meta);
      return redirectTo(`${HOME}?saved=mfa#mfa-title`);
    });
  }

  private model(current: string, mfaRequired: boolean): PageModel {
    const server = serverTimeZone();
    return {
      title: 'Clinic settings',
      mfaRequired,
      serverZone: server,
      zones: [
        { value: '', label: `The server's time zone (${server})`, selected: current === '' },
        ...this.zones.map((zone) => ({ value: zone, label: zone, selected: zone === current })),
      ],
    };
  }
}
