import { randomBytes } from 'node:crypto';
import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UsersModule } from '../users/users.module';
import { ApiCallLog } from './api-call-log';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { Cookies } from './cookies';
import { Csrf, CSRF_SECRET, CsrfCookieMiddleware, CsrfGuard } from './csrf';
import { PasswordPolicy } from './password-policy';
import { PasswordHasher } from './password-hasher';
import { SessionEntity } from './session.entity';
import { SessionRepository } from './session.repository';
import { SessionSweeper } from './session-sweeper';
import { SignInThrottle } from './sign-in-throttle';
import { MfaService } from './mfa.service';
import { PeriodicJobs } from '../database/periodic-jobs';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity]), UsersModule],
  providers: [
    AuthService,
    ApiKeyAuthenticator,
    ApiCallLog,
    SessionRepository,
    SessionSweeper,
    SignInThrottle,
    MfaService,
    PeriodicJobs,
    PasswordHasher,
    PasswordPolicy,
    Clock,
    Csrf,
    {
      provide: Cookies,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new Cookies(config),
    },
    {
      // Without SESSION_SECRET (allowed outside production), main.ts keeps one beside the embedded
      // database's data; only a test or an external database without it gets one per start.
      provide: CSRF_SECRET,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => config.sessionSecret ?? randomBytes(32).toString('hex'),
    },
    // Order matters: the session is resolved before the CSRF token (bound to it) is checked.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
  exports: [
    AuthService,
    MfaService,
    SignInThrottle,
    Csrf,
    CSRF_SECRET,
    Cookies,
    PasswordHasher,
    PasswordPolicy,
    Clock,
    SessionRepository,
  ],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CsrfCookieMiddleware).forRoutes('*path');
  }
}
