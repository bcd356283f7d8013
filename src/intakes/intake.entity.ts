import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Protocol, PROTOCOLS, sqlList } from '../common/protocol';
import { ClinicEntity } from '../clinics/clinic.entity';
import { ConsentTextEntity } from '../consent/consent-text.entity';
import { InvitationEntity } from '../invitations/invitation.entity';
import { PatientEntity } from '../patients/patient.entity';
import { UserEntity } from '../users/user.entity';

export const INTAKE_STATUSES = ['in_progress', 'submitted', 'reviewed'] as const;
export type IntakeStatus = (typeof INTAKE_STATUSES)[number];

/** Answers keyed by question id; a question left blank is absent, never stored as "no". */
export type IntakeAnswers = Record<string, unknown>;

/**
 * One patient's answers to one invitation. While in progress the answers
 * change as the patient types; on submit they are frozen with the
 * questionnaire version and scored.
 */
@Entity('intakes')
@Unique('intakes_invitation_id_key', ['invitationId'])
@Unique('intakes_clinic_id_id_key', ['clinicId', 'id'])
@ForeignKey(() => PatientEntity, ['clinicId', 'patientId'], ['clinicId', 'id'], {
  name: 'intakes_patient_fkey',
  onDelete: 'RESTRICT',
})
@ForeignKey(() => InvitationEntity, ['clinicId', 'invitationId'], ['clinicId', 'id'], {
  name: 'intakes_invitation_fkey',
  onDelete: 'RESTRICT',
})
@ForeignKey(() => UserEntity, ['clinicId', 'reviewedBy'], ['clinicId', 'id'], {
  name: 'intakes_reviewed_by_fkey',
  onDelete: 'RESTRICT',
})
@ForeignKey(
  () => ConsentTextEntity,
  ['clinicId', 'consentTextId', 'consentVersion'],
  ['clinicId', 'id', 'version'],
  { name: 'intakes_consent_text_fkey', onDelete: 'RESTRICT' },
)
@Check(
  'intakes_consent_complete',
  `(consent_text_id IS NULL) = (consented_at IS NULL) AND (consent_text_id IS NULL) = (consent_version IS NULL)`,
)
@Check('intakes_status_known', `status IN (${sqlList(INTAKE_STATUSES)})`)
@Check('intakes_protocol_known', `protocol IN (${sqlList(PROTOCOLS)})`)
@Check('intakes_answers_object', `jsonb_typeof(answers) = 'object'`)
@Check(
  'intakes_submitted_when_not_in_progress',
  `(status = 'in_progress') = (submitted_at IS NULL)`,
)
@Check('intakes_scored_when_submitted', `(status = 'in_progress') = (scores IS NULL)`)
@Check(
  'intakes_reviewed_consistent',
  `(status = 'reviewed') = (reviewed_at IS NOT NULL) AND (reviewed_at IS NULL) = (reviewed_by IS NULL)`,
)
@Index('intakes_patient_idx', ['patientId', 'createdAt'])
@Index('intakes_clinic_status_idx', ['clinicId', 'status', 'updatedAt'])
export class IntakeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'intakes_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'intakes_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  @Column({ type: 'uuid' })
  patientId!: string;

  @Column({ type: 'uuid' })
  invitationId!: string;

  @Column({ type: 'varchar', length: 32 })
  protocol!: Protocol;

  @Column({ type: 'varchar', length: 32 })
  questionnaireVersion!: string;

  @Column({ type: 'varchar', length: 16, default: 'in_progress' })
  status!: IntakeStatus;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  answers!: IntakeAnswers;

  /** The step the patient last saved: the link resumes there. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  lastStep!: string | null;

  /** Instrument scores, computed once at submission. */
  @Column({ type: 'jsonb', nullable: true })
  scores!: Record<string, unknown> | null;

  /**
   * The privacy notice the patient agreed to, and when. Null until they do:
   * no question is shown and no answer saved before. Intakes sent before
   * consent was asked keep null ("not recorded").
   */
  @Column({ type: 'uuid', nullable: true })
  consentTextId!: string | null;

  @Column({ type: 'integer', nullable: true })
  consentVersion!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  consentedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  reviewedBy!: string | null;
}
