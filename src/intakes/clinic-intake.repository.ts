import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { IntakeEntity } from './intake.entity';

/** Intakes as clinicians reach them: always within their clinic. */
@Injectable()
export class ClinicIntakeRepository extends ClinicScopedRepository<IntakeEntity> {
  constructor(@InjectRepository(IntakeEntity) repository: Repository<IntakeEntity>) {
    super(repository);
  }

  findById(scope: ClinicScope, id: string): Promise<IntakeEntity | null> {
    return this.findOneWhere(scope, { id });
  }
}
