import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { sqlList } from '../common/protocol';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { ClinicEntity } from '../clinics/clinic.entity';
import { UserEntity } from '../users/user.entity';

export const HANDOUT_KINDS = ['clinician', 'patient'] as const;
export type HandoutKind = (typeof HANDOUT_KINDS)[number];
export const PAPER_SIZES = ['a4', 'letter'] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];

/**
 * A rendered PDF, stored once per (assessment, kind, template version, paper,
 * review state): downloading it again returns these bytes, until a mark changes.
 */
@Entity('handouts')
@Unique('handouts_assessment_kind_template_paper_review_key', [
  'assessmentId',
  'kind',
  'templateVersion',
  'paper',
  'reviewDigest',
])
@ForeignKey(() => AssessmentEntity, ['clinicId', 'assessmentId'], ['clinicId', 'id'], {
  name: 'handouts_assessment_fkey',
  onDelete: 'RESTRICT',
})
@ForeignKey(() => UserEntity, ['clinicId', 'createdBy'], ['clinicId', 'id'], {
  name: 'handouts_created_by_fkey',
  onDelete: 'RESTRICT',
})
@Check('handouts_kind_known', `kind IN (${sqlList(HANDOUT_KINDS)})`)
@Check('handouts_paper_known', `paper IN (${sqlList(PAPER_SIZES)})`)
@Check('handouts_content_hash_sha256', `content_hash ~ '^[0-9a-f]{64}$'`)
@Check('handouts_byte_size_matches', `byte_size > 0 AND byte_size = octet_length(content)`)
export class HandoutEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'handouts_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'handouts_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  @Column({ type: 'uuid' })
  assessmentId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: HandoutKind;

  @Column({ type: 'varchar', length: 32 })
  templateVersion!: string;

  @Column({ type: 'varchar', length: 8 })
  paper!: PaperSize;

  /** SHA-256 (hex) of the clinician's marks and the time zone the PDF was made with (see reviewDigest). */
  @Column({ type: 'varchar', length: 64, default: '' })
  reviewDigest!: string;

  /** SHA-256 of the PDF bytes, hex. */
  @Column({ type: 'char', length: 64 })
  contentHash!: string;

  @Column({ type: 'integer' })
  byteSize!: number;

  @Column({ type: 'bytea' })
  content!: Buffer;

  /** The clinician whose download made it; null when made ahead of any download. */
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
