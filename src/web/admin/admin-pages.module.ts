import { Module } from '@nestjs/common';
import { AdminModule } from '../../admin/admin.module';
import { AuditPageController } from './audit-page.controller';
import { CliniciansPageController } from './clinicians-page.controller';

/** The clinic admin's pages: clinicians and the audit log. */
@Module({
  imports: [AdminModule],
  controllers: [CliniciansPageController, AuditPageController],
})
export class AdminPagesModule {}
