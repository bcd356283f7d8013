import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { SqlParams } from '../common/sql-params';
import { AssessmentEntity } from './assessment.entity';

export type NewAssessment = Pick<
  AssessmentEntity,
  'clinicId' | 'intakeId' | 'rulesetVersion' | 'results' | 'flaggedPillars' | 'createdAt'
>;

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
   * The INSERT of an assessment as one part of a larger statement, without
   * its FROM (see IntakeRepository.submit).
   */
  insertSql(values: NewAssessment, params: SqlParams): string {
    return `INSERT INTO assessments (clinic_id, intake_id, ruleset_version, results, flagged_pillars, created_at)
      SELECT ${params.add(values.clinicId, 'uuid')}, ${params.add(values.intakeId, 'uuid')},
        ${params.add(values.rulesetVersion, 'varchar')}, ${params.add(values.results, 'jsonb')},
        ${params.add(values.flaggedPillars, 'text[]')}, ${params.add(values.createdAt, 'timestamptz')}`;
  }

  /**
   * Stores an assessment unless one exists for this intake and ruleset
   * version (two recomputes at once make one row). Returns whether it added one.
   */
  async insertOnce(values: NewAssessment): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .insert()
      .values(values as QueryDeepPartialEntity<AssessmentEntity>)
      .orIgnore()
      .execute();
    return (result.identifiers.filter(Boolean).length ?? 0) > 0;
  }
}
