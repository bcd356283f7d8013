import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { Protocol } from '../common/protocol';
import { InvitationIntake, withArchive } from './invitation.dto';
import { InvitationEntity } from './invitation.entity';

export interface InvitationWithIntake {
  readonly invitation: InvitationEntity;
  readonly intake: InvitationIntake | null;
}

@Injectable()
export class InvitationRepository extends ClinicScopedRepository<InvitationEntity> {
  constructor(@InjectRepository(InvitationEntity) repository: Repository<InvitationEntity>) {
    super(repository);
  }

  findById(scope: ClinicScope, id: string): Promise<InvitationEntity | null> {
    return this.findOneWhere(scope, { id });
  }

  /**
   * A patient's links, newest first, each with what became of the intake it
   * opened; inside a transaction when given its manager.
   */
  async listForPatient(
    scope: ClinicScope,
    patientId: string,
    manager: EntityManager = this.repository.manager,
  ): Promise<InvitationWithIntake[]> {
    const query = manager
      .createQueryBuilder(InvitationEntity, 'inv')
      .where('inv.clinicId = :clinicId', { clinicId: scope.clinicId })
      .leftJoin('intakes', 'i', 'i.clinic_id = inv.clinicId AND i.invitation_id = inv.id')
      .addSelect(['i.status AS intake_status', 'i.submitted_at AS intake_submitted_at'])
      .andWhere('inv.patientId = :patientId', { patientId })
      .orderBy('inv.createdAt', 'DESC')
      .addOrderBy('inv.id', 'DESC');
    const { entities, raw } = await query.getRawAndEntities<{
      intake_status: InvitationIntake['status'] | null;
      intake_submitted_at: Date | null;
    }>();
    return entities.map((invitation, i) => ({
      invitation,
      intake: raw[i].intake_status
        ? { status: raw[i].intake_status, submittedAt: raw[i].intake_submitted_at }
        : null,
    }));
  }

  /**
   * Takes the patient's row lock: links of one patient are created one at a
   * time, and not while the patient is being archived. Whether the patient is
   * archived, as of the lock.
   */
  async lockPatient(
    scope: ClinicScope,
    patientId: string,
    manager: EntityManager,
  ): Promise<{ archived: boolean }> {
    const rows = await manager.query<{ archived: boolean }[]>(
      'SELECT archived_at IS NOT NULL AS archived FROM patients WHERE clinic_id = $1 AND id = $2 FOR UPDATE',
      [scope.clinicId, patientId],
    );
    return { archived: rows[0]?.archived ?? false };
  }

  create(
    scope: ClinicScope,
    values: {
      patientId: string;
      protocol: Protocol;
      tokenHash: Buffer;
      createdAt: Date;
      expiresAt: Date;
    },
    manager: EntityManager,
  ): Promise<InvitationEntity> {
    const repository = manager.getRepository(InvitationEntity);
    return repository.save(
      repository.create({
        ...values,
        clinicId: scope.clinicId,
        revokedAt: null,
        firstUsedAt: null,
        createdBy: scope.userId,
      }),
    );
  }

  async update(
    scope: ClinicScope,
    id: string,
    values: Partial<Pick<InvitationEntity, 'tokenHash' | 'expiresAt' | 'revokedAt'>>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(InvitationEntity).update(this.where(scope, { id }), values);
  }

  /** Ends the links in the invitation's emails that open it (it is re-issued); their stop links stay. */
  async deleteEmailLinks(scope: ClinicScope, id: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `DELETE FROM email_links WHERE clinic_id = $1 AND invitation_id = $2 AND purpose = 'open'`,
      [scope.clinicId, id],
    );
  }

  /**
   * A patient's link, by the invitation's own token or the token of the link
   * in one of its emails: the token, not a clinic, decides whose invitation
   * it is. The one lookup of invitations before any clinic scope. A link of
   * an archived patient reads as revoked (since the archiving).
   */
  async findByTokenHash(tokenHash: Buffer): Promise<InvitationEntity | null> {
    const { entities, raw } = await this.repository
      .createQueryBuilder('invitation')
      .leftJoin(
        'patients',
        'patient',
        'patient.clinic_id = invitation.clinicId AND patient.id = invitation.patientId',
      )
      .addSelect('patient.archived_at', 'patient_archived_at')
      .where('invitation.tokenHash = :tokenHash', { tokenHash })
      .orWhere(
        `invitation.id = (SELECT email.invitation_id FROM email_links email
           WHERE email.token_hash = :tokenHash AND email.purpose = 'open')`,
      )
      .getRawAndEntities<{ patient_archived_at: Date | null }>();
    return entities[0] ? withArchive(entities[0], raw[0].patient_archived_at) : null;
  }

  /**
   * The invitation whose reminders a stop link's token stops: that is all
   * such a token can find (it is in the List-Unsubscribe header, which mail
   * systems may log). Before any clinic scope, as findByTokenHash.
   */
  findByStopTokenHash(tokenHash: Buffer): Promise<InvitationEntity | null> {
    return this.repository
      .createQueryBuilder('invitation')
      .where(
        `invitation.id = (SELECT email.invitation_id FROM email_links email
           WHERE email.token_hash = :tokenHash AND email.purpose = 'stop')`,
        { tokenHash },
      )
      .getOne();
  }

  /** Stops the link's reminders; false when they were stopped already. */
  async stopReminders(id: string, at: Date): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ remindersStoppedAt: at })
      .where('id = :id AND reminders_stopped_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async markFirstUse(id: string, at: Date): Promise<void> {
    await this.repository
      .createQueryBuilder()
      .update()
      .set({ firstUsedAt: at })
      .where('id = :id AND first_used_at IS NULL', { id })
      .execute();
  }
}
