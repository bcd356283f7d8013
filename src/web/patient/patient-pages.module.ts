import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { IntakeModule } from '../../intake/intake.module';
import { PatientSessionMiddleware } from '../../intake/patient-session.middleware';
import { IntakePagesController } from './intake-pages.controller';

/** The patient's pages: the invitation link (opened, or continued from an email), the steps of the intake, checking and sending. */
@Module({
  imports: [IntakeModule],
  controllers: [IntakePagesController],
})
export class PatientPagesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Once per request, by controller (see IntakeModule). The link itself starts a new session.
    consumer
      .apply(PatientSessionMiddleware)
      .exclude(
        { path: 'i/:token', method: RequestMethod.GET },
        // The emailed link's page and its "Continue": the CSRF token of the one is checked on
        // the other, so both are read the same way (no patient session).
        { path: 'e/:token', method: RequestMethod.ALL },
      )
      .forRoutes(IntakePagesController);
  }
}
