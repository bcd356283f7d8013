import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { PatientActor } from '../auth/actor';
import { SqlParams } from '../common/sql-params';
import { IntakeAnswers, IntakeEntity } from '../intakes/intake.entity';

/** What submitting reads of an intake; `version` identifies the row version read. */
export type SubmittableIntake = Pick<
  IntakeEntity,
  | 'id'
  | 'clinicId'
  | 'protocol'
  | 'questionnaireVersion'
  | 'status'
  | 'answers'
  | 'submittedAt'
  | 'consentedAt'
> & { readonly version: string };

/**
 * A patient reaches exactly one intake: the one of the invitation their
 * session was opened with. Every method here is keyed by that pair
 * (clinic, invitation), which only the patient session provides.
 */
@Injectable()
export class IntakeRepository {
  constructor(@InjectRepository(IntakeEntity) private readonly intakes: Repository<IntakeEntity>) {}

  /** Creates the intake on first use of the link; a second call changes nothing. */
  async ensure(patient: PatientActor, questionnaireVersion: string, now: Date): Promise<void> {
    await this.intakes
      .createQueryBuilder()
      .insert()
      .values({
        clinicId: patient.clinicId,
        patientId: patient.patientId,
        invitationId: patient.invitationId,
        protocol: patient.protocol,
        questionnaireVersion,
        status: 'in_progress',
        answers: {},
        createdAt: now,
        updatedAt: now,
      })
      .orIgnore()
      .execute();
  }

  find(patient: PatientActor): Promise<IntakeEntity | null> {
    return this.intakes.findOneBy({
      clinicId: patient.clinicId,
      invitationId: patient.invitationId,
    });
  }

  /** Replaces the answers while the intake is open; false once it has been submitted. */
  async saveAnswers(
    patient: PatientActor,
    answers: IntakeAnswers,
    lastStep: string,
    now: Date,
  ): Promise<boolean> {
    const result = await this.intakes
      .createQueryBuilder()
      .update()
      .set({ answers, lastStep, updatedAt: now } as QueryDeepPartialEntity<IntakeEntity>)
      .where(
        'clinic_id = :clinicId AND invitation_id = :invitationId AND status = :open AND consented_at IS NOT NULL',
        { clinicId: patient.clinicId, invitationId: patient.invitationId, open: 'in_progress' },
      )
      .execute();
    return result.affected === 1;
  }

  /**
   * Records the patient's agreement to a version of the notice, once: an
   * intake that has it keeps the first. False when nothing was recorded.
   */
  async recordConsent(
    patient: PatientActor,
    text: { readonly id: string; readonly version: number },
    at: Date,
  ): Promise<boolean> {
    const result = await this.intakes
      .createQueryBuilder()
      .update()
      .set({
        consentTextId: text.id,
        consentVersion: text.version,
        consentedAt: at,
      })
      .where(
        'clinic_id = :clinicId AND invitation_id = :invitationId AND status = :open AND consented_at IS NULL',
        { clinicId: patient.clinicId, invitationId: patient.invitationId, open: 'in_progress' },
      )
      .execute();
    return result.affected === 1;
  }

  /** The intake as it stands, with the version of its row that `submit` checks. */
  async findForSubmit(patient: PatientActor): Promise<SubmittableIntake | null> {
    const rows = await this.intakes.query<SubmittableIntake[]>(
      `SELECT id, clinic_id AS "clinicId", protocol, questionnaire_version AS "questionnaireVersion",
              status, answers, submitted_at AS "submittedAt", consented_at AS "consentedAt",
              xmin::text AS version
       FROM intakes WHERE clinic_id = $1 AND invitation_id = $2`,
      [patient.clinicId, patient.invitationId],
    );
    return rows[0] ?? null;
  }

  /**
   * Marks the intake submitted, together with the rows that go with it (its
   * assessment, its audit event, its webhook deliveries): one statement, so
   * all of them or none, in one round trip to the database. Each of
   * `alongside` is an `INSERT ... SELECT` that reads the relation named by
   * its second argument, which holds the submitted row, or none.
   *
   * Only the version read by `findForSubmit` is submitted, so the assessment
   * is always of the stored answers. Returns false when another request got
   * there first (a double tap that submitted, a tab that saved answers): the
   * caller reads the intake again. That request's lock makes this one wait.
   */
  async submit(
    intake: SubmittableIntake,
    at: Date,
    scores: Record<string, unknown>,
    alongside: readonly ((params: SqlParams, submitted: string) => string)[],
  ): Promise<boolean> {
    const params = new SqlParams();
    const when = params.add(at, 'timestamptz');
    const submitted = `submitted AS (
      UPDATE intakes
      SET status = 'submitted', submitted_at = ${when}, updated_at = ${when},
          scores = ${params.add(scores, 'jsonb')}
      WHERE clinic_id = ${params.add(intake.clinicId, 'uuid')} AND id = ${params.add(intake.id, 'uuid')}
        AND status = 'in_progress' AND consented_at IS NOT NULL
        AND xmin = ${params.add(intake.version, 'xid')}
      RETURNING id)`;
    const parts = alongside.map((part, i) => `part_${i} AS (${part(params, 'submitted')})`);
    const [{ count }] = await this.intakes.query<{ count: number }[]>(
      `WITH ${[submitted, ...parts].join(', ')} SELECT count(*)::int AS count FROM submitted`,
      [...params.values],
    );
    return count === 1;
  }

  /** The newest assessment of an intake: the one its submission made. */
  async assessmentIdOf(clinicId: string, intakeId: string): Promise<string | undefined> {
    const rows = await this.intakes.query<{ id: string }[]>(
      `SELECT id FROM assessments WHERE clinic_id = $1 AND intake_id = $2
       ORDER BY created_at DESC LIMIT 1`,
      [clinicId, intakeId],
    );
    return rows[0]?.id;
  }
}
