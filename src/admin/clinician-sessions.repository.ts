import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SessionEntity } from '../auth/session.entity';
import { ClinicScope } from '../common/clinic-scope';

/** Ends a clinic user's sessions, as part of the transaction that deactivates them. */
@Injectable()
export class ClinicianSessionRepository {
  async endAllFor(scope: ClinicScope, userId: string, manager: EntityManager): Promise<number> {
    const result = await manager
      .getRepository(SessionEntity)
      .delete({ clinicId: scope.clinicId, userId, kind: 'clinician' });
    return result.affected ?? 0;
  }
}
