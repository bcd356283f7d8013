import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { PatientActor } from '../auth/actor';
import { IntakeAnswers, IntakeEntity } from '../intakes/intake.entity';

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
  async saveAnswers(patient: PatientActor, answers: IntakeAnswers, now: Date): Promise<boolean> {
    const result = await this.intakes
      .createQueryBuilder()
      .update()
      .set({ answers, updatedAt: now } as QueryDeepPartialEntity<IntakeEntity>)
      .where('clinic_id = :clinicId AND invitation_id = :invitationId AND status = :open', {
        clinicId: patient.clinicId,
        invitationId: patient.invitationId,
        open: 'in_progress',
      })
      .execute();
    return result.affected === 1;
  }

  /** Reads the intake and holds its row until the transaction ends: submissions queue here. */
  lockForSubmit(patient: PatientActor, manager: EntityManager): Promise<IntakeEntity | null> {
    return manager
      .getRepository(IntakeEntity)
      .createQueryBuilder('intake')
      .setLock('pessimistic_write')
      .where('intake.clinicId = :clinicId AND intake.invitationId = :invitationId', {
        clinicId: patient.clinicId,
        invitationId: patient.invitationId,
      })
      .getOne();
  }

  async markSubmitted(
    id: string,
    scores: Record<string, unknown>,
    now: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(IntakeEntity).update({ id, status: 'in_progress' }, {
      status: 'submitted',
      submittedAt: now,
      scores,
      updatedAt: now,
    } as QueryDeepPartialEntity<IntakeEntity>);
  }
}
