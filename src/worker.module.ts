import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from './common/clock';
import { AppConfig } from './config/app-config';
import { APP_CONFIG, ConfigModule, DatabaseRuntime } from './config/config.module';
import { ContentModule } from './content/content.module';
import { dataSourceOptions } from './database/data-source-options';
import { HandoutWorker } from './handouts/handout-jobs';
import { HandoutMaker } from './handouts/handout-maker';
import { HANDOUT_ENTITIES, HANDOUT_MAKER_PROVIDERS } from './handouts/handouts.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { PatientEntity } from './patients/patient.entity';
import { PatientRepository } from './patients/patient.repository';
import { WebhookEventsModule } from './webhooks/webhook-events.module';

/**
 * The render worker: what making handouts needs (storing one writes its
 * webhook events too), and the queue's consumer; no HTTP.
 */
@Module({})
export class WorkerModule {
  static register(
    config: AppConfig & { redisUrl: string },
    database: DatabaseRuntime,
  ): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.register(config, database),
        LoggingModule,
        MetricsModule,
        TypeOrmModule.forRoot({ ...dataSourceOptions(database.url, 4), retryAttempts: 0 }),
        TypeOrmModule.forFeature([...HANDOUT_ENTITIES, PatientEntity]),
        ContentModule,
        WebhookEventsModule,
      ],
      providers: [
        ...HANDOUT_MAKER_PROVIDERS,
        PatientRepository,
        Clock,
        {
          provide: HandoutWorker,
          inject: [APP_CONFIG, HandoutMaker],
          useFactory: (appConfig: AppConfig, maker: HandoutMaker) =>
            new HandoutWorker(config.redisUrl, maker, appConfig.pdfConcurrency),
        },
      ],
    };
  }
}
