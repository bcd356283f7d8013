import {
  FindOptionsOrder,
  FindOptionsWhere,
  ObjectLiteral,
  Repository,
  SelectQueryBuilder,
} from 'typeorm';

/**
 * Who is asking, reduced to what scoping needs. Every read or write of
 * clinic data takes one, and it comes only from the signed-in session.
 */
export interface ClinicScope {
  readonly clinicId: string;
  /** Who acts: the signed-in user, or the admin who made the API key that calls. */
  readonly userId: string;
  /** Set when an API key calls: the audit log names the key as the actor. */
  readonly apiKeyId?: string;
}

type Scoped = ObjectLiteral & { clinicId: string };

/**
 * The one mechanism that keeps each clinic's rows apart: repositories of
 * clinic-owned tables extend this, and every method takes a ClinicScope that
 * is added to the WHERE clause. A row of another clinic is simply not found,
 * so routes answer 404 rather than revealing that it exists.
 */
export abstract class ClinicScopedRepository<T extends Scoped> {
  protected constructor(protected readonly repository: Repository<T>) {}

  protected where(scope: ClinicScope, where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> {
    return { ...where, clinicId: scope.clinicId };
  }

  protected findOneWhere(scope: ClinicScope, where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repository.findOneBy(this.where(scope, where));
  }

  protected findWhere(
    scope: ClinicScope,
    where: FindOptionsWhere<T>,
    order?: FindOptionsOrder<T>,
    take?: number,
  ): Promise<T[]> {
    return this.repository.find({ where: this.where(scope, where), order, take });
  }

  /** A query builder already limited to the scope's clinic. */
  protected query(scope: ClinicScope, alias: string): SelectQueryBuilder<T> {
    return this.repository
      .createQueryBuilder(alias)
      .where(`${alias}.clinicId = :scopeClinicId`, { scopeClinicId: scope.clinicId });
  }

  protected async insertScoped(scope: ClinicScope, values: Omit<T, 'clinicId'>): Promise<T> {
    const entity = this.repository.create({ ...values, clinicId: scope.clinicId } as unknown as T);
    return this.repository.save(entity);
  }
}
