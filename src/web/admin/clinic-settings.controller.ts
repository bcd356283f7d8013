import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { Meta, RequestMeta, Roles, Scope } from '../../auth/actor';
import {
  ClinicMfaDto,
  ClinicNameInEmailsDto,
  ClinicRemindersDto,
  ClinicSettingsDto,
} from '../../clinics/clinic-settings.dto';
import { ClinicsService } from '../../clinics/clinics.service';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { formatReminderDays } from '../../invitations/reminder-schedule';
import { CONSENT_CONTACT_MAX, CONSENT_TEXT_MAX } from '../../consent/consent-text.entity';
import { ConsentTextDto } from '../../consent/consent.dto';
import { ConsentService } from '../../consent/consent.service';
import { ClinicTime } from '../../common/clinic-time';
import { ClinicScope } from '../../common/clinic-scope';
import { serverTimeZone } from '../../common/clinic-time';
import { Form, Page, PageModel, Redirect, redirectTo, takeForm, View } from '../page';

const HOME = '/admin/clinic';

/**
 * The clinic's settings: the time zone its pages show times in, whether staff
 * need two-step sign-in, the privacy notice patients agree to, whether
 * emails to patients name the clinic, and when they are reminded.
 */
@Roles('admin')
@Controller(HOME)
export class ClinicSettingsController {
  private readonly zones = Intl.supportedValuesOf('timeZone');

  constructor(
    private readonly clinics: ClinicsService,
    private readonly consent: ConsentService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Page('admin/clinic')
  show(@Scope() scope: ClinicScope, @Query('saved') saved?: string): Promise<PageModel> {
    return this.page(scope, {
      saved: saved === '1',
      mfaSaved: saved === 'mfa',
      emailSaved: saved === 'email',
      consentSaved: saved === 'consent',
      remindersSaved: saved === 'reminders',
    });
  }

  /** Each save that changes the notice or the contact line makes its next version. */
  @Post('consent')
  @Form()
  saveConsent(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    const page = async () =>
      new View('admin/clinic', await this.page(scope, { consentRefused: true }));
    return takeForm(ConsentTextDto, body, page, async (dto) => {
      await this.consent.save(scope, dto, meta);
      return redirectTo(`${HOME}?saved=consent#consent-title`);
    });
  }

  @Post()
  @Form()
  save(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    // A refused zone is shown as it was typed.
    const page = async (_problems: unknown, typed: ClinicSettingsDto) =>
      new View('admin/clinic', await this.page(scope, {}, String(typed.timeZone ?? '')));
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
    const page = async () => new View('admin/clinic', await this.page(scope));
    return takeForm(ClinicMfaDto, body, page, async ({ mfaRequired }) => {
      await this.clinics.setMfaRequired(scope, mfaRequired === 'yes', meta);
      return redirectTo(`${HOME}?saved=mfa#mfa-title`);
    });
  }

  /** Whether emails to patients name the clinic: off by default. */
  @Post('email')
  @Form()
  saveNameInEmails(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    const page = async () =>
      new View('admin/clinic', await this.page(scope, { emailRefused: true }));
    return takeForm(ClinicNameInEmailsDto, body, page, async ({ nameInEmails }) => {
      await this.clinics.setNameInEmails(scope, nameInEmails === 'yes', meta);
      return redirectTo(`${HOME}?saved=email#email-title`);
    });
  }

  /** The reminder schedule; a refused one is shown as typed, with what to fix. */
  @Post('reminders')
  @Form()
  saveReminders(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    const page = async () =>
      new View('admin/clinic', await this.page(scope, { remindersRefused: true }));
    return takeForm(ClinicRemindersDto, body, page, async ({ reminderDays }) => {
      await this.clinics.setReminderDays(scope, reminderDays, meta);
      return redirectTo(`${HOME}?saved=reminders#reminders-title`);
    });
  }

  /** The whole page, every section, whichever form was sent: `zone` is a refused zone as typed. */
  private async page(
    scope: ClinicScope,
    extra: Record<string, unknown> = {},
    zone?: string,
  ): Promise<PageModel> {
    const clinic = await this.clinics.get(scope);
    return {
      ...this.model(zone ?? clinic.timeZone ?? '', clinic.mfaRequired),
      ...(await this.consentModel(scope)),
      nameInEmails: clinic.nameInEmails,
      reminderDays: formatReminderDays(clinic.reminderDays),
      reminderList: clinic.reminderDays.join(' and '),
      linkDays: this.config.invitationTtlDays,
      ...extra,
    };
  }

  /** The current notice in the form, and every version with its date. */
  private async consentModel(scope: ClinicScope) {
    const [versions, clinic] = await Promise.all([
      this.consent.versions(scope),
      this.clinics.get(scope),
    ]);
    const time = ClinicTime.of(clinic.timeZone ?? serverTimeZone());
    const [current] = versions;
    return {
      consent: { body: current.body, contact: current.contact ?? '', version: current.version },
      consentVersions: versions.map((v) => ({
        version: v.version,
        at: time.minute(v.createdAt),
        byDefault: v.createdBy === null,
      })),
      consentMax: CONSENT_TEXT_MAX,
      contactMax: CONSENT_CONTACT_MAX,
    };
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
