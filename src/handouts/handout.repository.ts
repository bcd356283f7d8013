import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { WebhookEvents } from '../webhooks/webhook-events';
import { HandoutEntity, HandoutKind, PaperSize } from './handout.entity';

export interface HandoutKey {
  readonly assessmentId: string;
  readonly kind: HandoutKind;
  readonly templateVersion: string;
  readonly paper: PaperSize;
  readonly reviewDigest: string;
}

/** A handout made, to store: its key, its bytes, and whose it is. */
export interface NewHandout {
  readonly key: HandoutKey;
  readonly content: Buffer;
  /** SHA-256 of `content`, hex. */
  readonly contentHash: string;
  readonly createdAt: Date;
  readonly createdBy: string | null;
  /** The intake and patient of its assessment, for the `handout.ready` event (not stored here). */
  readonly intakeId: string;
  readonly patientId: string;
}

@Injectable()
export class HandoutRepository extends ClinicScopedRepository<HandoutEntity> {
  constructor(
    @InjectRepository(HandoutEntity) repository: Repository<HandoutEntity>,
    private readonly webhooks: WebhookEvents,
  ) {
    super(repository);
  }

  find(scope: ClinicScope, key: HandoutKey): Promise<HandoutEntity | null> {
    return this.findOneWhere(scope, { ...key });
  }

  async exists(scope: ClinicScope, key: HandoutKey): Promise<boolean> {
    return (await this.repository.countBy({ ...key, clinicId: scope.clinicId })) > 0;
  }

  /**
   * Stores the PDF unless an identical key is already stored (two renders at
   * once keep the first), and with it, in the same transaction, the
   * `handout.ready` webhook deliveries: only the render that stored it
   * reports it, whichever process (web instance or render worker) made it.
   */
  async insertOnce(scope: ClinicScope, handout: NewHandout): Promise<void> {
    const { key, content } = handout;
    await this.repository.manager.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(HandoutEntity)
        .values({
          ...key,
          clinicId: scope.clinicId,
          content,
          contentHash: handout.contentHash,
          byteSize: content.length,
          createdBy: handout.createdBy,
          createdAt: handout.createdAt,
        })
        .orIgnore()
        .returning('id')
        .execute();
      const [stored] = inserted.raw as { id: string }[];
      if (!stored) return;
      await this.webhooks.emit(manager, scope.clinicId, {
        type: 'handout.ready',
        data: {
          handoutId: stored.id,
          kind: key.kind,
          paper: key.paper,
          assessmentId: key.assessmentId,
          intakeId: handout.intakeId,
          patientId: handout.patientId,
        },
      });
    });
  }
}
