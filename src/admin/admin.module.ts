import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ClinicianSessionRepository } from './clinician-sessions.repository';
import { CliniciansService } from './clinicians.service';
import { WelcomeService } from './welcome.service';
import { PasswordResetService } from './password-reset.service';

/** The clinic's users for its admins (invite, deactivate, reset), the welcome link and the password reset link. */
@Module({
  imports: [UsersModule],
  providers: [CliniciansService, ClinicianSessionRepository, WelcomeService, PasswordResetService],
  exports: [CliniciansService, WelcomeService, PasswordResetService],
})
export class AdminModule {}
