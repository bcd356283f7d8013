import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PatientsModule } from '../patients/patients.module';
import { InvitationEntity } from './invitation.entity';
import { InvitationRepository } from './invitation.repository';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';

@Module({
  imports: [TypeOrmModule.forFeature([InvitationEntity]), PatientsModule],
  controllers: [InvitationsController],
  providers: [InvitationRepository, InvitationsService],
  exports: [InvitationRepository, InvitationsService],
})
export class InvitationsModule {}
