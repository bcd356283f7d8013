import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { DeliveryEntity, DeliveryKind, DeliveryProblem, DeliveryStatus } from './delivery.entity';

export interface DeliveryRecord {
  readonly invitationId: string;
  /** Which issue of the link was sent (a re-issued link has a new expiry). */
  readonly linkExpiresAt: Date;
  readonly kind: DeliveryKind;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastError: DeliveryProblem | null;
  readonly startedAt: Date;
  readonly endedAt: Date;
}

@Injectable()
export class DeliveryRepository extends ClinicScopedRepository<DeliveryEntity> {
  constructor(@InjectRepository(DeliveryEntity) repository: Repository<DeliveryEntity>) {
    super(repository);
  }

  record(scope: ClinicScope, record: DeliveryRecord): Promise<DeliveryEntity> {
    return this.insertScoped(scope, {
      invitationId: record.invitationId,
      linkExpiresAt: record.linkExpiresAt,
      kind: record.kind,
      status: record.status,
      attempts: record.attempts,
      lastError: record.lastError,
      createdAt: record.startedAt,
      updatedAt: record.endedAt,
    } as Omit<DeliveryEntity, 'clinicId'>);
  }

  /** The newest delivery of each of these invitations that has one. */
  async latestFor(
    scope: ClinicScope,
    invitationIds: readonly string[],
  ): Promise<Map<string, DeliveryEntity>> {
    if (invitationIds.length === 0) return new Map();
    const rows = await this.findWhere(
      scope,
      { invitationId: In([...invitationIds]) },
      { createdAt: 'DESC', id: 'DESC' },
    );
    const latest = new Map<string, DeliveryEntity>();
    for (const row of rows) if (!latest.has(row.invitationId)) latest.set(row.invitationId, row);
    return latest;
  }
}
