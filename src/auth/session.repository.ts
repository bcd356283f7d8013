import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThan, Repository } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { SessionEntity } from './session.entity';

export interface ClinicianSessionRow {
  readonly session: SessionEntity;
  readonly user: UserEntity;
}

@Injectable()
export class SessionRepository {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
  ) {}

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
      .where('session.tokenHash = :tokenHash', { tokenHash })
      .andWhere(`session.kind = 'clinician'`)
      .getOne();
    if (!row) return null;
    const { user, ...session } = row as SessionEntity & { user: UserEntity };
    return { session: session, user };
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

  /** Removes sessions past their absolute timeout; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.sessions.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
