import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ErrorFilter } from './common/error.filter';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { ConfigModule, DatabaseRuntime } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { FhirModule } from './fhir/fhir.module';
import { HandoutsModule } from './handouts/handouts.module';
import { HealthModule } from './health/health.module';
import { ContentModule } from './content/content.module';
import { IntakeModule } from './intake/intake.module';
import { InvitationsModule } from './invitations/invitations.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { PatientsModule } from './patients/patients.module';
import { ViewsModule } from './views/views.module';
import { WebhookEventsModule } from './webhooks/webhook-events.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { ClinicPagesModule } from './web/clinic/clinic-pages.module';
import { PageInterceptor } from './web/page.interceptor';
import { WebModule } from './web/web.module';
import { AccountPagesModule } from './web/account/account-pages.module';
import { AdminPagesModule } from './web/admin/admin-pages.module';
import { PatientPagesModule } from './web/patient/patient-pages.module';

@Module({})
export class AppModule {
  /** The whole service for a configuration and a database that is already up and migrated. */
  static register(config: AppConfig, database: DatabaseRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config, database),
        LoggingModule,
        MetricsModule,
        TypeOrmModule.forRoot({ ...dataSourceOptions(database.url), retryAttempts: 0 }),
        ViewsModule,
        WebModule,
        AuditModule,
        WebhookEventsModule,
        AuthModule,
        HealthModule,
        PatientsModule,
        ContentModule,
        InvitationsModule,
        IntakeModule,
        PatientPagesModule,
        HandoutsModule,
        WebhooksModule,
        ClinicPagesModule,
        AdminPagesModule,
        AccountPagesModule,
        FhirModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: PageInterceptor },
      ],
    };
  }
}
