import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClinicIntakeRepository } from '../intakes/clinic-intake.repository';
import { IntakeEntity } from '../intakes/intake.entity';
import { ReviewsModule } from '../reviews/reviews.module';
import { AssessmentEntity } from './assessment.entity';
import { AssessmentRepository } from './assessment.repository';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsService } from './assessments.service';

@Module({
  imports: [TypeOrmModule.forFeature([AssessmentEntity, IntakeEntity]), ReviewsModule],
  controllers: [AssessmentsController],
  providers: [AssessmentRepository, AssessmentsService, ClinicIntakeRepository],
  exports: [AssessmentsService],
})
export class AssessmentsModule {}
