import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AuditPageController } from './audit-page.controller';
import { ClinicianSessionRepository } from './clinician-sessions.repository';
import { CliniciansPageController } from './clinicians-page.controller';
import { CliniciansService } from './clinicians.service';
import { WelcomeController } from './welcome.controller';
import { WelcomeService } from './welcome.service';

/** The clinic admin's pages (clinicians, audit log) and the invited user's welcome page. */
@Module({
  imports: [UsersModule],
  controllers: [CliniciansPageController, AuditPageController, WelcomeController],
  providers: [CliniciansService, ClinicianSessionRepository, WelcomeService],
})
export class AdminModule {}
