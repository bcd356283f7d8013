import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '../common/clock';
import { AuditEventEntity } from './audit-event.entity';
import { AuditEventRepository } from './audit-event.repository';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { DeniedAccessInterceptor } from './audited-route';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  controllers: [AuditController],
  providers: [
    AuditService,
    AuditEventRepository,
    Clock,
    { provide: APP_INTERCEPTOR, useClass: DeniedAccessInterceptor },
  ],
  exports: [AuditService],
})
export class AuditModule {}
