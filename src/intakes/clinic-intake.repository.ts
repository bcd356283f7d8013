import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { IntakeEntity } from './intake.entity';

/** Intakes as clinicians reach them: always within their clinic. */
@Injectable()
export class ClinicIntakeRepository extends ClinicScopedRepository<IntakeEntity> {
  constructor(@InjectRepository(IntakeEntity) repository: Repository<IntakeEntity>) {
    super(repository);
  }

  findById(scope: ClinicScope, id: string): Promise<IntakeEntity | null> {
    return this.findOneWhere(scope, { id });
  }

  /** The intake of one invitation link (a patient reaches only their own link's). */
  findForInvitation(scope: ClinicScope, invitationId: string): Promise<IntakeEntity | null> {
    return this.findOneWhere(scope, { invitationId });
  }

  /** A patient's intakes, oldest first. */
  listForPatient(scope: ClinicScope, patientId: string): Promise<IntakeEntity[]> {
    return this.findWhere(scope, { patientId }, { createdAt: 'ASC', id: 'ASC' });
  }

  /** Marks a submitted intake reviewed; false when it is not (still in progress, or already reviewed). */
  async markReviewed(
    scope: ClinicScope,
    id: string,
    at: Date,
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager
      .getRepository(IntakeEntity)
      .update(
        { ...this.where(scope, { id }), status: 'submitted' },
        { status: 'reviewed', reviewedAt: at, reviewedBy: scope.userId },
      );
    return (result.affected ?? 0) > 0;
  }
}
