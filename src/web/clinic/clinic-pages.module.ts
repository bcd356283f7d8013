import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module';
import { PatientsModule } from '../patients/patients.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { DashboardController } from './dashboard.controller';
import { IntakePageController } from './intake-page.controller';
import { PatientPageController } from './patient-page.controller';

@Module({
  imports: [PatientsModule, InvitationsModule, ReviewsModule],
  controllers: [DashboardController, PatientPageController, IntakePageController],
})
export class DashboardModule {}
