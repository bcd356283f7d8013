import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { DeliveryEntity } from './delivery.entity';

/** The emails about a clinic's links, for its pages and API (the outbox writes them). */
@Injectable()
export class DeliveryRepository extends ClinicScopedRepository<DeliveryEntity> {
  constructor(@InjectRepository(DeliveryEntity) repository: Repository<DeliveryEntity>) {
    super(repository);
  }

  /** Every email about each of these invitations, oldest first, by invitation. */
  async forInvitations(
    scope: ClinicScope,
    invitationIds: readonly string[],
  ): Promise<Map<string, DeliveryEntity[]>> {
    const byInvitation = new Map<string, DeliveryEntity[]>();
    if (invitationIds.length === 0) return byInvitation;
    const rows = await this.findWhere(
      scope,
      { invitationId: In([...invitationIds]) },
      { createdAt: 'ASC', sequence: 'ASC', id: 'ASC' },
    );
    for (const row of rows) {
      byInvitation.set(row.invitationId, [...(byInvitation.get(row.invitationId) ?? []), row]);
    }
    return byInvitation;
  }
}
