import { Module } from '@nestjs/common';
import { PatientsModule } from '../patients/patients.module';
import { DashboardController } from './dashboard.controller';

@Module({ imports: [PatientsModule], controllers: [DashboardController] })
export class DashboardModule {}
