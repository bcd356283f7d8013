import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { sqlList } from '../common/protocol';
import { ClinicEntity } from '../clinics/clinic.entity';
import { AUDIT_ACTION_NAMES, AuditAction } from './audit-actions';

export const ACTOR_TYPES = ['user', 'patient', 'system', 'anonymous', 'api_key'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * Who did what to which record, when, and how it ended. Append-only (a
 * trigger refuses UPDATE and DELETE). Never holds health values: `detail`
 * carries identifiers and counts only.
 */
@Entity('audit_events')
@Check('audit_events_actor_type_known', `actor_type IN (${sqlList(ACTOR_TYPES)})`)
@Check('audit_events_outcome_known', `outcome IN (${sqlList(AUDIT_OUTCOMES)})`)
@Check('audit_events_detail_object', `jsonb_typeof(detail) = 'object'`)
@Check('audit_events_action_known', `action IN (${sqlList(AUDIT_ACTION_NAMES)})`)
@Index('audit_events_clinic_time_idx', ['clinicId', 'occurredAt'])
@Index('audit_events_target_idx', ['targetType', 'targetId', 'occurredAt'])
// The admin's audit log: newest first by id, with keyset paging.
@Index('audit_events_clinic_id_idx', ['clinicId', 'id'])
// A patient's access history, newest first.
@Index('audit_events_patient_time_idx', ['patientId', 'occurredAt', 'id'])
// Invitation-link throttling counts recent refused link opens per address.
@Index('audit_events_link_open_failures_ip_idx', { synchronize: false })
export class AuditEventEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'audit_events_pkey',
  })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => ClinicEntity, { name: 'audit_events_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  actorType!: ActorType;

  /** A user id, or the invitation id a patient acted through. */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** Dotted verb from the one list, e.g. `auth.sign_in`, `patient.view` (see audit-actions.ts). */
  @Column({ type: 'varchar', length: 64 })
  action!: AuditAction;

  @Column({ type: 'varchar', length: 32, nullable: true })
  targetType!: string | null;

  @Column({ type: 'uuid', nullable: true })
  targetId!: string | null;

  /**
   * The patient the event concerns, whatever its target (an intake, an
   * assessment, a link), so that one index answers "who looked at this
   * patient?". No foreign key: a refused attempt by another clinic's staff
   * names the patient it tried to reach, whose clinic is not the event's.
   */
  @Column({ type: 'uuid', nullable: true })
  patientId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ type: 'inet', nullable: true })
  ip!: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  detail!: Record<string, string | number | boolean | null>;
}
