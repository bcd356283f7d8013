import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClinicEntity } from '../clinics/clinic.entity';
import { ClinicTime, serverTimeZone } from '../common/clinic-time';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MailTemplates } from '../mail/mail-templates';
import { deliveryProblemOf, Mailer } from '../mail/mailer';
import { UserRepository } from '../users/user.repository';

/** An endpoint the service has just turned off. */
export interface TurnedOff {
  readonly clinicId: string;
  readonly endpointId: string;
  readonly url: string;
  readonly reason: 'failing' | 'gone';
  readonly at: Date;
}

/**
 * Tells a clinic's admins by email, when email is on, that the service
 * turned one of its webhook endpoints off. A courtesy beside the notice on
 * the Webhooks page, which stays until an admin turns the endpoint on or
 * deletes it: sent once, after the change committed, and not retried (the
 * page is the record). Never fails the caller.
 */
@Injectable()
export class WebhookAlerts {
  private readonly logger = new Logger(WebhookAlerts.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mailer: Mailer,
    private readonly templates: MailTemplates,
    private readonly users: UserRepository,
    @InjectRepository(ClinicEntity) private readonly clinics: Repository<ClinicEntity>,
  ) {}

  async turnedOff(off: TurnedOff): Promise<void> {
    if (!this.mailer.enabled) return;
    let sent = 0;
    try {
      // The service acts for the clinic of the endpoint it tried: a scope of no user.
      const staff = await this.users.listForClinic({ clinicId: off.clinicId, userId: '' });
      const admins = staff.filter(
        (user) => user.role === 'admin' && !user.deactivatedAt && user.passwordHash !== null,
      );
      const clinic = await this.clinics.findOneByOrFail({ id: off.clinicId });
      const mail = this.templates.render('webhook-off', {
        host: new URL(off.url).host,
        at: ClinicTime.of(clinic.timeZone ?? serverTimeZone()).minute(off.at) ?? '',
        gone: off.reason === 'gone',
        pageLink: `${this.config.publicUrl}/admin/webhooks`,
      });
      for (const admin of admins) {
        await this.mailer.send({ to: admin.email, ...mail });
        sent += 1;
      }
    } catch (error) {
      // The class only: a mail server's refusal quotes the address.
      this.logger.warn(
        { endpointId: off.endpointId, sent, problem: deliveryProblemOf(error) },
        'Could not email every admin that a webhook endpoint was turned off',
      );
    }
  }
}
