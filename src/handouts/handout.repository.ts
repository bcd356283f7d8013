import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { HandoutEntity, HandoutKind, PaperSize } from './handout.entity';

export interface HandoutKey {
  readonly assessmentId: string;
  readonly kind: HandoutKind;
  readonly templateVersion: string;
  readonly paper: PaperSize;
  readonly reviewDigest: string;
}

@Injectable()
export class HandoutRepository extends ClinicScopedRepository<HandoutEntity> {
  constructor(@InjectRepository(HandoutEntity) repository: Repository<HandoutEntity>) {
    super(repository);
  }

  find(scope: ClinicScope, key: HandoutKey): Promise<HandoutEntity | null> {
    return this.findOneWhere(scope, { ...key });
  }

  async exists(scope: ClinicScope, key: HandoutKey): Promise<boolean> {
    return (await this.repository.countBy({ ...key, clinicId: scope.clinicId })) > 0;
  }

  /** Stores the PDF unless an identical key is already stored (two renders at once keep the first). */
  async insertOnce(
    scope: ClinicScope,
    key: HandoutKey,
    content: Buffer,
    contentHash: string,
    createdAt: Date,
    createdBy: string | null,
  ): Promise<void> {
    await this.repository
      .createQueryBuilder()
      .insert()
      .values({
        ...key,
        clinicId: scope.clinicId,
        content,
        contentHash,
        byteSize: content.length,
        createdBy,
        createdAt,
      })
      .orIgnore()
      .execute();
  }
}
