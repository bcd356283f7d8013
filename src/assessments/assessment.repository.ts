import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { AssessmentEntity } from './assessment.entity';

@Injectable()
export class AssessmentRepository extends ClinicScopedRepository<AssessmentEntity> {
  constructor(@InjectRepository(AssessmentEntity) repository: Repository<AssessmentEntity>) {
    super(repository);
  }

  findById(scope: ClinicScope, id: string): Promise<AssessmentEntity | null> {
    return this.findOneWhere(scope, { id });
  }

  listForIntake(scope: ClinicScope, intakeId: string): Promise<AssessmentEntity[]> {
    return this.findWhere(scope, { intakeId }, { createdAt: 'DESC' });
  }

  findForRuleset(
    scope: ClinicScope,
    intakeId: string,
    rulesetVersion: string,
  ): Promise<AssessmentEntity | null> {
    return this.findOneWhere(scope, { intakeId, rulesetVersion });
  }

  /**
   * Stores an assessment unless one exists for this intake and ruleset
   * version (two recomputes at once make one row). Returns whether it added one.
   */
  async insertOnce(
    values: Pick<
      AssessmentEntity,
      'clinicId' | 'intakeId' | 'rulesetVersion' | 'results' | 'flaggedPillars' | 'createdAt'
    >,
    manager?: EntityManager,
  ): Promise<boolean> {
    const result = await (manager?.getRepository(AssessmentEntity) ?? this.repository)
      .createQueryBuilder()
      .insert()
      .values(values as QueryDeepPartialEntity<AssessmentEntity>)
      .orIgnore()
      .execute();
    return (result.identifiers.filter(Boolean).length ?? 0) > 0;
  }
}
