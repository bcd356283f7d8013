import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClinicEntity } from '../clinics/clinic.entity';
import { MailModule } from '../mail/mail.module';
import { PatientsModule } from '../patients/patients.module';
import { InvitationEmailService } from './invitation-email.service';
import { InvitationOutbox } from './invitation-outbox';
import { OutboxPoller } from './outbox-poller';
import { InvitationEntity } from './invitation.entity';
import { InvitationRepository } from './invitation.repository';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';

@Module({
  imports: [TypeOrmModule.forFeature([InvitationEntity, ClinicEntity]), PatientsModule, MailModule],
  controllers: [InvitationsController],
  providers: [
    InvitationRepository,
    InvitationsService,
    InvitationEmailService,
    InvitationOutbox,
    OutboxPoller,
  ],
  exports: [InvitationRepository, InvitationsService, InvitationEmailService, InvitationOutbox],
})
export class InvitationsModule {}
