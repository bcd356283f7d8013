import { Module } from '@nestjs/common';
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
import { PdfRenderer } from './pdf-renderer';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      HandoutEntity,
      AssessmentEntity,
      IntakeEntity,
      ClinicEntity,
      PointReviewEntity,
    ]),
    PatientsModule,
  ],
  controllers: [HandoutsController],
  providers: [
    HandoutRepository,
    AssessmentRepository,
    ClinicIntakeRepository,
    HandoutsService,
    PointReviewRepository,
    { provide: HandoutTemplates, useFactory: () => new HandoutTemplates() },
    {
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
    },
  ],
  exports: [PdfRenderer],
})
export class HandoutsModule {}
