import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { PointReviewEntity } from '../assessments/point-review.entity';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';

export type PointReviewValues = Pick<PointReviewEntity, 'mark' | 'reason' | 'note'>;

/** Clinicians' marks and notes on the points of an assessment. */
@Injectable()
export class PointReviewRepository extends ClinicScopedRepository<PointReviewEntity> {
  constructor(@InjectRepository(PointReviewEntity) repository: Repository<PointReviewEntity>) {
    super(repository);
  }

  listForAssessment(scope: ClinicScope, assessmentId: string): Promise<PointReviewEntity[]> {
    return this.findWhere(scope, { assessmentId });
  }

  /** Records the mark and note of one point (one row per point), by the scope's user, now. */
  async save(
    scope: ClinicScope,
    assessmentId: string,
    pointId: string,
    values: PointReviewValues,
    manager: EntityManager,
  ): Promise<void> {
    await manager
      .getRepository(PointReviewEntity)
      .createQueryBuilder()
      .insert()
      .values({
        clinicId: scope.clinicId,
        assessmentId,
        pointId,
        ...values,
        updatedBy: scope.userId,
      })
      .orUpdate(
        ['mark', 'reason', 'note', 'updated_by', 'updated_at'],
        ['assessment_id', 'point_id'],
      )
      .execute();
  }

  /** Nothing left to record on the point: its row goes. */
  async clear(
    scope: ClinicScope,
    assessmentId: string,
    pointId: string,
    manager: EntityManager,
  ): Promise<void> {
    await manager
      .getRepository(PointReviewEntity)
      .delete(this.where(scope, { assessmentId, pointId }));
  }
}
