import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentsModule } from '../assessments/assessments.module';
import { IntakeEntity } from '../intakes/intake.entity';
import { InvitationsModule } from '../invitations/invitations.module';
import { IntakeApiController } from './intake-api.controller';
import { IntakePagesController } from './intake-pages.controller';
import { IntakeRepository } from './intake.repository';
import { IntakeService } from './intake.service';
import { PatientSessionMiddleware } from './patient-session.middleware';
import { PatientSessionService } from './patient-session.service';

@Module({
  imports: [TypeOrmModule.forFeature([IntakeEntity]), InvitationsModule, AssessmentsModule],
  controllers: [IntakePagesController, IntakeApiController],
  providers: [IntakeRepository, IntakeService, PatientSessionService],
})
export class IntakeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(PatientSessionMiddleware)
      .forRoutes('intake', 'intake/*path', 'api/intake', 'api/intake/*path');
  }
}
