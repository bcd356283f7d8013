import { Module } from '@nestjs/common';
import { HandoutsModule } from '../handouts/handouts.module';
import { HealthController } from './health.controller';

@Module({ imports: [HandoutsModule], controllers: [HealthController] })
export class HealthModule {}
