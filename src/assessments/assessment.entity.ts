import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { ClinicEntity } from '../clinics/clinic.entity';
import { Pillar } from '../common/pillar';
import { IntakeEntity } from '../intakes/intake.entity';

/**
 * The rules' output for one submitted intake under one ruleset version.
 * Recomputing with a newer ruleset adds a row; the old one stays.
 */
@Entity('assessments')
@Unique('assessments_intake_ruleset_key', ['intakeId', 'rulesetVersion'])
@Unique('assessments_clinic_id_id_key', ['clinicId', 'id'])
@ForeignKey(() => IntakeEntity, ['clinicId', 'intakeId'], ['clinicId', 'id'], {
  name: 'assessments_intake_fkey',
  onDelete: 'RESTRICT',
})
@Check('assessments_results_object', `jsonb_typeof(results) = 'object'`)
@Check(
  'assessments_flagged_pillars_known',
  `flagged_pillars <@ ARRAY['diet', 'exercise', 'sleep', 'stress']::text[]`,
)
@Index('assessments_intake_idx', ['intakeId', 'createdAt'])
export class AssessmentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'assessments_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'assessments_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  @Column({ type: 'uuid' })
  intakeId!: string;

  @Column({ type: 'varchar', length: 32 })
  rulesetVersion!: string;

  /** Discussion points with their why and sources, as the evaluator produced them. */
  @Column({ type: 'jsonb' })
  results!: Record<string, unknown>;

  /** Pillars with a warning or critical point, for the dashboard's filter. */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  flaggedPillars!: Pillar[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
