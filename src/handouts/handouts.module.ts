import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { AssessmentRepository } from '../assessments/assessment.repository';
import { ClinicEntity } from '../clinics/clinic.entity';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { IntakeEntity } from '../intakes/intake.entity';
import { PatientsModule } from '../patients/patients.module';
import { PointReviewEntity } from '../assessments/point-review.entity';
import { PointReviewRepository } from '../reviews/point-review.repository';
import { HandoutEntity } from './handout.entity';
import { HandoutRepository } from './handout.repository';
import { HandoutTemplates } from './handout-templates';
import { HandoutsController } from './handouts.controller';
import { HandoutsService } from './handouts.service';
import { TakeHomeService } from './take-home.service';
import { HandoutJobs, InProcessHandoutJobs, QueuedHandoutJobs } from './handout-jobs';
import { HandoutMaker } from './handout-maker';
import { PdfRenderer } from './pdf-renderer';
import { Metrics } from '../metrics/metrics';

/** The Chromium that renders handouts, in whichever process makes them. */
export const pdfRendererProvider = {
  provide: PdfRenderer,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) =>
    new PdfRenderer({
      executablePath: config.pdfBrowserPath,
      concurrency: config.pdfConcurrency,
      maxQueue: config.pdfConcurrency * 8,
      timeoutMs: 20_000,
      recycleAfter: 500,
    }),
};

/** What making a handout reads and writes: the web process and the render worker both need it. */
export const HANDOUT_ENTITIES = [
  HandoutEntity,
  AssessmentEntity,
  IntakeEntity,
  ClinicEntity,
  PointReviewEntity,
];
export const HANDOUT_MAKER_PROVIDERS = [
  HandoutRepository,
  AssessmentRepository,
  ClinicIntakeRepository,
  PointReviewRepository,
  HandoutMaker,
  { provide: HandoutTemplates, useFactory: () => new HandoutTemplates() },
  pdfRendererProvider,
];

/**
 * Global: submission and review queue handouts ahead through HandoutJobs; the
 * patient's pages show the take-home notes through TakeHomeService.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature(HANDOUT_ENTITIES), PatientsModule],
  controllers: [HandoutsController],
  providers: [
    ...HANDOUT_MAKER_PROVIDERS,
    HandoutsService,
    TakeHomeService,
    {
      // With REDIS_URL, render workers make handouts and this process runs no Chromium.
      provide: HandoutJobs,
      inject: [APP_CONFIG, HandoutMaker, PdfRenderer, Metrics],
      useFactory: (
        config: AppConfig,
        maker: HandoutMaker,
        renderer: PdfRenderer,
        metrics: Metrics,
      ): HandoutJobs =>
        config.redisUrl
          ? new QueuedHandoutJobs(config.redisUrl, metrics)
          : new InProcessHandoutJobs(maker, renderer, metrics),
    },
  ],
  exports: [PdfRenderer, HandoutJobs, TakeHomeService],
})
export class HandoutsModule {}
