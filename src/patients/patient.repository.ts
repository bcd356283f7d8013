import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { PatientEntity } from './patient.entity';

export interface PatientSearch {
  readonly text?: string;
  readonly limit: number;
}

@Injectable()
export class PatientRepository extends ClinicScopedRepository<PatientEntity> {
  constructor(@InjectRepository(PatientEntity) repository: Repository<PatientEntity>) {
    super(repository);
  }

  findById(scope: ClinicScope, id: string): Promise<PatientEntity | null> {
    return this.findOneWhere(scope, { id });
  }

  /** Alphabetical, optionally filtered by a fragment of the name or reference. */
  search(scope: ClinicScope, { text, limit }: PatientSearch): Promise<PatientEntity[]> {
    const query = this.query(scope, 'patient')
      .orderBy('lower(patient.family_name)')
      .addOrderBy('lower(patient.given_name)')
      .addOrderBy('patient.id')
      .limit(limit);
    if (text) {
      query.andWhere(
        `lower(patient.given_name || ' ' || patient.family_name || ' ' || coalesce(patient.reference, '')) LIKE :pattern`,
        { pattern: `%${escapeLike(text.toLowerCase())}%` },
      );
    }
    return query.getMany();
  }

  create(
    scope: ClinicScope,
    values: Pick<PatientEntity, 'givenName' | 'familyName' | 'reference'>,
  ): Promise<PatientEntity> {
    return this.insertScoped(scope, { ...values, createdBy: scope.userId } as Omit<
      PatientEntity,
      'clinicId'
    >);
  }

  isReferenceTaken(scope: ClinicScope, reference: string): Promise<boolean> {
    return this.repository.existsBy(this.where(scope, { reference }));
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
