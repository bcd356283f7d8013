import {
  Check,
  Column,
  Entity,
  ForeignKey,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { sqlList } from '../common/protocol';
import { ClinicEntity } from '../clinics/clinic.entity';
import { UserEntity } from '../users/user.entity';
import { AssessmentEntity } from './assessment.entity';

export const POINT_MARKS = ['discussed', 'not_relevant'] as const;
export type PointMark = (typeof POINT_MARKS)[number];

/** A clinician's mark and note on one discussion point of an assessment. */
@Entity('point_reviews')
@Unique('point_reviews_assessment_point_key', ['assessmentId', 'pointId'])
@ForeignKey(() => AssessmentEntity, ['clinicId', 'assessmentId'], ['clinicId', 'id'], {
  name: 'point_reviews_assessment_fkey',
  onDelete: 'RESTRICT',
})
@ForeignKey(() => UserEntity, ['clinicId', 'updatedBy'], ['clinicId', 'id'], {
  name: 'point_reviews_updated_by_fkey',
  onDelete: 'RESTRICT',
})
@Check('point_reviews_mark_known', `mark IS NULL OR mark IN (${sqlList(POINT_MARKS)})`)
@Check(
  'point_reviews_reason_when_not_relevant',
  `mark IS DISTINCT FROM 'not_relevant' OR length(btrim(reason)) > 0`,
)
@Check('point_reviews_something_recorded', `mark IS NOT NULL OR note IS NOT NULL`)
export class PointReviewEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'point_reviews_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'point_reviews_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  @Column({ type: 'uuid' })
  assessmentId!: string;

  /** The id of the rule whose point this is. */
  @Column({ type: 'varchar', length: 80 })
  pointId!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  mark!: PointMark | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ type: 'uuid' })
  updatedBy!: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
