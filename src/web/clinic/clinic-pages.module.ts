import { Module } from '@nestjs/common';
import { InvitationsModule } from '../../invitations/invitations.module';
import { PatientsModule } from '../../patients/patients.module';
import { ReviewsModule } from '../../reviews/reviews.module';
import { IntakeReviewController } from './intake-review.controller';
import { NewLinkFlash } from './new-link-flash';
import { PatientListController } from './patient-list.controller';
import { PatientPageController } from './patient-page.controller';

/** The clinician's pages: the patient list, a patient's page, and the review of an intake. */
@Module({
  imports: [PatientsModule, InvitationsModule, ReviewsModule],
  controllers: [PatientListController, PatientPageController, IntakeReviewController],
  providers: [NewLinkFlash],
})
export class ClinicPagesModule {}
