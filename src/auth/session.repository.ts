import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThan, Repository } from 'typeorm';
import { InvitationEntity } from '../invitations/invitation.entity';
import { withArchive } from '../invitations/invitation.dto';
import { ClinicEntity } from '../clinics/clinic.entity';
import { UserEntity } from '../users/user.entity';
import { SessionEntity } from './session.entity';

export interface PatientSessionRow {
  readonly session: SessionEntity;
  readonly invitation: InvitationEntity;
}

export interface ClinicianSessionRow {
  readonly session: SessionEntity;
  readonly user: UserEntity;
  readonly clinic: ClinicEntity;
}

@Injectable()
export class SessionRepository {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
  ) {}

  /** For a write outside any transaction. */
  get manager(): EntityManager {
    return this.sessions.manager;
  }

  async create(values: Omit<SessionEntity, 'id'>, manager: EntityManager): Promise<SessionEntity> {
    return manager.getRepository(SessionEntity).save(manager.create(SessionEntity, values));
  }

  async findClinicianSession(tokenHash: Buffer): Promise<ClinicianSessionRow | null> {
    const row = await this.sessions
      .createQueryBuilder('session')
      .innerJoinAndMapOne(
        'session.user',
        UserEntity,
        'user',
        'user.id = session.userId AND user.clinicId = session.clinicId',
      )
      .innerJoinAndMapOne('session.clinic', ClinicEntity, 'clinic', 'clinic.id = session.clinicId')
      .where('session.tokenHash = :tokenHash', { tokenHash })
      .andWhere(`session.kind = 'clinician'`)
      .getOne();
    if (!row) return null;
    const { user, clinic, ...session } = row as SessionEntity & {
      user: UserEntity;
      clinic: ClinicEntity;
    };
    return { session: session, user, clinic };
  }

  async findPatientSession(tokenHash: Buffer): Promise<PatientSessionRow | null> {
    const found = await this.sessions
      .createQueryBuilder('session')
      .innerJoinAndMapOne(
        'session.invitation',
        InvitationEntity,
        'invitation',
        'invitation.id = session.invitationId AND invitation.clinicId = session.clinicId',
      )
      .leftJoin(
        'patients',
        'patient',
        'patient.clinic_id = invitation.clinicId AND patient.id = invitation.patientId',
      )
      .addSelect('patient.archived_at', 'patient_archived_at')
      .where('session.tokenHash = :tokenHash', { tokenHash })
      .andWhere(`session.kind = 'patient'`)
      .getRawAndEntities<{ patient_archived_at: Date | null }>();
    const row = found.entities[0];
    if (!row) return null;
    const { invitation, ...session } = row as SessionEntity & { invitation: InvitationEntity };
    // An archived patient's link reads as revoked: the session ends at its next request.
    return {
      session: session,
      invitation: withArchive(invitation, found.raw[0].patient_archived_at),
    };
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.sessions.update({ id }, { lastSeenAt: at });
  }

  async delete(id: string): Promise<void> {
    await this.sessions.delete({ id });
  }

  async deleteByTokenHash(tokenHash: Buffer, manager?: EntityManager): Promise<void> {
    await (manager?.getRepository(SessionEntity) ?? this.sessions).delete({ tokenHash });
  }

  /** Ends every patient session opened with an invitation (revoked or re-issued). */
  async deleteForInvitation(invitationId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(SessionEntity).delete({ invitationId });
  }

  /** Removes sessions past their absolute timeout; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.sessions.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
