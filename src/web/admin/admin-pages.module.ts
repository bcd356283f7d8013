import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from '../../admin/admin.module';
import { ApiKeysModule } from '../../api-keys/api-keys.module';
import { ClinicEntity } from '../../clinics/clinic.entity';
import { ClinicsService } from '../../clinics/clinics.service';
import { Clock } from '../../common/clock';
import { ConsentModule } from '../../consent/consent.module';
import { WebhooksModule } from '../../webhooks/webhooks.module';
import { ApiKeysPageController } from './api-keys-page.controller';
import { AuditPageController } from './audit-page.controller';
import { ClinicSettingsController } from './clinic-settings.controller';
import { CliniciansPageController } from './clinicians-page.controller';
import { WebhooksPageController } from './webhooks-page.controller';

/** The clinic admin's pages: clinicians, the audit log, the clinic's settings, API keys, webhooks. */
@Module({
  imports: [
    AdminModule,
    ApiKeysModule,
    ConsentModule,
    WebhooksModule,
    TypeOrmModule.forFeature([ClinicEntity]),
  ],
  controllers: [
    CliniciansPageController,
    AuditPageController,
    ClinicSettingsController,
    ApiKeysPageController,
    WebhooksPageController,
  ],
  providers: [ClinicsService, Clock],
})
export class AdminPagesModule {}
