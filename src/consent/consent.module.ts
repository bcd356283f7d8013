import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '../common/clock';
import { ClinicEntity } from '../clinics/clinic.entity';
import { ConsentTextEntity } from './consent-text.entity';
import { ConsentService } from './consent.service';

/** The clinic's privacy notice, in versions. */
@Module({
  imports: [TypeOrmModule.forFeature([ConsentTextEntity, ClinicEntity])],
  providers: [ConsentService, Clock],
  exports: [ConsentService],
})
export class ConsentModule {}
