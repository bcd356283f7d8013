import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeliveryEntity } from './delivery.entity';
import { DeliveryRepository } from './delivery.repository';
import { MailTemplates } from './mail-templates';
import { Mailer } from './mailer';

/**
 * Email to patients: the SMTP sender (off until configured), the message
 * templates (text and HTML from one source) and the record of each send.
 * Invitations use it now; reminders will.
 */
@Module({
  imports: [TypeOrmModule.forFeature([DeliveryEntity])],
  providers: [
    Mailer,
    DeliveryRepository,
    { provide: MailTemplates, useValue: new MailTemplates() },
  ],
  exports: [Mailer, DeliveryRepository, MailTemplates],
})
export class MailModule {}
