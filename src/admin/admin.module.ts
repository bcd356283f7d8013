import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ClinicianSessionRepository } from './clinician-sessions.repository';
import { CliniciansService } from './clinicians.service';
import { WelcomeService } from './welcome.service';

/** The clinic's users for its admins (invite, deactivate) and the invited user's welcome link. */
@Module({
  imports: [UsersModule],
  providers: [CliniciansService, ClinicianSessionRepository, WelcomeService],
  exports: [CliniciansService, WelcomeService],
})
export class AdminModule {}
