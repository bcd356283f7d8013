import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClinicEntity } from '../clinics/clinic.entity';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MailModule } from '../mail/mail.module';
import { UsersModule } from '../users/users.module';
import { WebhookAlerts } from './webhook-alerts';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookPoller } from './webhook-poller';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';
import { WebhooksService } from './webhooks.service';

/**
 * Webhooks to a clinic's other systems, in the web instances: the admins'
 * endpoints, and the dispatcher that sends the outbox WebhookEvents writes
 * (every instance polls it). Render workers only write events.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEndpointEntity, WebhookDeliveryEntity, ClinicEntity]),
    MailModule,
    UsersModule,
  ],
  providers: [
    WebhooksService,
    WebhookEndpointRepository,
    WebhookDeliveryRepository,
    WebhookSecrets,
    WebhookDispatcher,
    WebhookPoller,
    WebhookAlerts,
    {
      provide: WebhookSender,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new WebhookSender({ production: config.env === 'production' }),
    },
  ],
  exports: [WebhooksService],
})
export class WebhooksModule {}
