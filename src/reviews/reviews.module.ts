import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { AssessmentRepository } from '../assessments/assessment.repository';
import { PointReviewEntity } from '../assessments/point-review.entity';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { IntakeEntity } from '../intakes/intake.entity';
import { PatientsModule } from '../patients/patients.module';
import { UsersModule } from '../users/users.module';
import { PointReviewRepository } from './point-review.repository';
import { IntakesApiController } from './intakes-api.controller';
import { ReviewsService } from './reviews.service';

/** Clinicians' review of submitted intakes: marks and notes per point, and closing the review. */
@Module({
  imports: [
    TypeOrmModule.forFeature([AssessmentEntity, IntakeEntity, PointReviewEntity]),
    PatientsModule,
    UsersModule,
  ],
  controllers: [IntakesApiController],
  providers: [ReviewsService, PointReviewRepository, AssessmentRepository, ClinicIntakeRepository],
  exports: [ReviewsService],
})
export class ReviewsModule {}
