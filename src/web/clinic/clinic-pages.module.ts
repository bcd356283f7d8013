import { Module } from '@nestjs/common';
import { InvitationsModule } from '../../invitations/invitations.module';
import { PatientsModule } from '../../patients/patients.module';
import { ReviewsModule } from '../../reviews/reviews.module';
import { IntakeReviewController } from './intake-review.controller';
import { KnowledgeController } from './knowledge.controller';
import { PatientListController } from './patient-list.controller';
import { PatientPageController } from './patient-page.controller';

/** The clinician's pages: the patient list, a patient's page, the review of an intake, the knowledge base. */
@Module({
  imports: [PatientsModule, InvitationsModule, ReviewsModule],
  controllers: [
    PatientListController,
    PatientPageController,
    IntakeReviewController,
    KnowledgeController,
  ],
})
export class ClinicPagesModule {}
