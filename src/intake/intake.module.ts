import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { AssessmentsModule } from '../assessments/assessments.module';
import { ConsentModule } from '../consent/consent.module';
import { IntakeEntity } from '../intakes/intake.entity';
import { InvitationsModule } from '../invitations/invitations.module';
import { IntakeApiController } from './intake-api.controller';
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
    ConsentModule,
  ],
  controllers: [IntakeApiController],
  providers: [IntakeRepository, IntakeService, PatientSessionService, LinkAttemptRepository],
  exports: [IntakeService, PatientSessionService],
})
export class IntakeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // By controller, so each request matches one route: paths such as
    // 'api/intake' and 'api/intake/*path' both matched '/api/intake/submit',
    // and the session was read twice. The pages' module does the same for them.
    consumer.apply(PatientSessionMiddleware).forRoutes(IntakeApiController);
  }
}
