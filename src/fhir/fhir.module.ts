import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { AssessmentRepository } from '../assessments/assessment.repository';
import { PointReviewEntity } from '../assessments/point-review.entity';
import { ContentModule } from '../content/content.module';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { IntakeEntity } from '../intakes/intake.entity';
import { PatientsModule } from '../patients/patients.module';
import { PointReviewRepository } from '../reviews/point-review.repository';
import { CdsHooksController, FhirController } from './fhir.controller';
import { FhirService } from './fhir.service';

/** The read-only FHIR R4 server and the CDS Hooks service, for a clinic's EHR. */
@Module({
  imports: [
    TypeOrmModule.forFeature([IntakeEntity, AssessmentEntity, PointReviewEntity]),
    PatientsModule,
    ContentModule,
  ],
  controllers: [FhirController, CdsHooksController],
  providers: [FhirService, ClinicIntakeRepository, AssessmentRepository, PointReviewRepository],
})
export class FhirModule {}
