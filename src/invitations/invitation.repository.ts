import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { Protocol } from '../common/protocol';
import { InvitationEntity } from './invitation.entity';

@Injectable()
export class InvitationRepository extends ClinicScopedRepository<InvitationEntity> {
  constructor(@InjectRepository(InvitationEntity) repository: Repository<InvitationEntity>) {
    super(repository);
  }

  findById(scope: ClinicScope, id: string): Promise<InvitationEntity | null> {
    return this.findOneWhere(scope, { id });
  }

  listForPatient(scope: ClinicScope, patientId: string): Promise<InvitationEntity[]> {
    return this.findWhere(scope, { patientId }, { createdAt: 'DESC' });
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
  ): Promise<InvitationEntity> {
    return this.insertScoped(scope, {
      ...values,
      revokedAt: null,
      firstUsedAt: null,
      createdBy: scope.userId,
    } as Omit<InvitationEntity, 'clinicId'>);
  }

  async update(
    scope: ClinicScope,
    id: string,
    values: Partial<Pick<InvitationEntity, 'tokenHash' | 'expiresAt' | 'revokedAt'>>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(InvitationEntity).update(this.where(scope, { id }), values);
  }

  /**
   * A patient's link: the token, not a clinic, decides whose invitation it
   * is. The one lookup of invitations before any clinic scope.
   */
  findByTokenHash(tokenHash: Buffer): Promise<InvitationEntity | null> {
    return this.repository.findOneBy({ tokenHash });
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
