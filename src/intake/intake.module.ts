import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { AssessmentsModule } from '../assessments/assessments.module';
import { IntakeEntity } from '../intakes/intake.entity';
import { InvitationsModule } from '../invitations/invitations.module';
import { IntakeApiController } from './intake-api.controller';
import { IntakePagesController } from './intake-pages.controller';
import { IntakeRepository } from './intake.repository';
import { IntakeService } from './intake.service';
import { LinkAttemptRepository } from './link-attempt.repository';
import { PatientSessionMiddleware } from './patient-session.middleware';
import { PatientSessionService } from './patient-session.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([IntakeEntity, AuditEventEntity]),
    InvitationsModule,
    AssessmentsModule,
  ],
  controllers: [IntakePagesController, IntakeApiController],
  providers: [IntakeRepository, IntakeService, PatientSessionService, LinkAttemptRepository],
})
export class IntakeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(PatientSessionMiddleware)
      .forRoutes('intake', 'intake/*path', 'api/intake', 'api/intake/*path');
  }
}
