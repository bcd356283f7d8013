import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module';
import { PatientsModule } from '../patients/patients.module';
import { DashboardController } from './dashboard.controller';
import { PatientPageController } from './patient-page.controller';

@Module({
  imports: [PatientsModule, InvitationsModule],
  controllers: [DashboardController, PatientPageController],
})
export class DashboardModule {}
