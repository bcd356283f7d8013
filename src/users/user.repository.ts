import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { UserEntity } from './user.entity';

@Injectable()
export class UserRepository extends ClinicScopedRepository<UserEntity> {
  constructor(@InjectRepository(UserEntity) repository: Repository<UserEntity>) {
    super(repository);
  }

  /**
   * Sign-in is the one lookup that precedes any clinic scope: the email is
   * unique across clinics and decides the clinic.
   */
  findForSignIn(email: string): Promise<UserEntity | null> {
    return this.repository.findOneBy({ email });
  }

  findById(scope: ClinicScope, id: string): Promise<UserEntity | null> {
    return this.findOneWhere(scope, { id });
  }

  async markSignedIn(userId: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.getRepository(UserEntity).update({ id: userId }, { lastSignInAt: at });
  }
}
