import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { Meta, RequestMeta, Roles, Scope } from '../../auth/actor';
import { ClinicSettingsDto } from '../../clinics/clinic-settings.dto';
import { ClinicsService } from '../../clinics/clinics.service';
import { ClinicScope } from '../../common/clinic-scope';
import { serverTimeZone } from '../../common/clinic-time';
import { Form, Page, PageModel, Redirect, redirectTo, takeForm, View } from '../page';

const HOME = '/admin/clinic';

/** The clinic's settings: for now, the time zone its pages show times in. */
@Roles('admin')
@Controller(HOME)
export class ClinicSettingsController {
  private readonly zones = Intl.supportedValuesOf('timeZone');

  constructor(private readonly clinics: ClinicsService) {}

  @Get()
  @Page('admin/clinic')
  async show(@Scope() scope: ClinicScope, @Query('saved') saved?: string): Promise<PageModel> {
    return { ...this.model((await this.clinics.get(scope)).timeZone ?? ''), saved: saved === '1' };
  }

  @Post()
  @Form()
  save(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    const page = (_problems: unknown, typed: ClinicSettingsDto) =>
      Promise.resolve(new View('admin/clinic', this.model(String(typed.timeZone ?? ''))));
    return takeForm(ClinicSettingsDto, body, page, async (dto) => {
      await this.clinics.update(scope, dto, meta);
      return redirectTo(`${HOME}?saved=1`);
    });
  }

  private model(current: string): PageModel {
    const server = serverTimeZone();
    return {
      title: 'Clinic settings',
      serverZone: server,
      zones: [
        { value: '', label: `The server's time zone (${server})`, selected: current === '' },
        ...this.zones.map((zone) => ({ value: zone, label: zone, selected: zone === current })),
      ],
    };
  }
}
