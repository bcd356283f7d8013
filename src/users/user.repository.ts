import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { UserEntity, UserRole } from './user.entity';

export interface InvitedUserValues {
  readonly email: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly invitationTokenHash: Buffer;
  readonly invitationExpiresAt: Date;
}

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

  /** The clinic's users, by name. */
  listForClinic(scope: ClinicScope): Promise<UserEntity[]> {
    return this.query(scope, 'staff')
      .orderBy('lower(staff.display_name)', 'ASC')
      .addOrderBy('staff.id', 'ASC')
      .getMany();
  }

  /** A complete sign-in; a reset link issued meanwhile is not needed any more, and is voided. */
  async markSignedIn(userId: string, at: Date, manager: EntityManager): Promise<void> {
    await manager
      .getRepository(UserEntity)
      .update(
        { id: userId },
        { lastSignInAt: at, passwordResetTokenHash: null, passwordResetExpiresAt: null },
      );
  }

  /** A user who has no password yet, only a "set your password" link. */
  async createInvited(
    scope: ClinicScope,
    values: InvitedUserValues,
    manager: EntityManager,
  ): Promise<UserEntity> {
    const repository = manager.getRepository(UserEntity);
    return repository.save(
      repository.create({
        ...values,
        clinicId: scope.clinicId,
        passwordHash: null,
        deactivatedAt: null,
        lastSignInAt: null,
      }),
    );
  }

  /** Gives a user who has not joined yet a new link; false when the user has joined meanwhile. */
  async replaceInvitation(
    scope: ClinicScope,
    id: string,
    invitation: { tokenHash: Buffer; expiresAt: Date },
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager
      .getRepository(UserEntity)
      .update(this.where(scope, { id, passwordHash: IsNull() }), {
        invitationTokenHash: invitation.tokenHash,
        invitationExpiresAt: invitation.expiresAt,
      });
    return result.affected === 1;
  }

  async setDeactivatedAt(
    scope: ClinicScope,
    id: string,
    at: Date | null,
    manager: EntityManager,
  ): Promise<void> {
    // Deactivating also voids an outstanding password reset link: reactivating does not revive it.
    const voidReset = at ? { passwordResetTokenHash: null, passwordResetExpiresAt: null } : {};
    await manager
      .getRepository(UserEntity)
      .update(this.where(scope, { id }), { deactivatedAt: at, ...voidReset });
  }

  /**
   * An invited user's link: the token, not a clinic, decides whose it is.
   * The one lookup of users by link, before any clinic scope.
   */
  findByInvitationTokenHash(tokenHash: Buffer): Promise<UserEntity | null> {
    return this.repository.findOneBy({ invitationTokenHash: tokenHash });
  }

  /**
   * Sets the first password and consumes the link, only while the link is
   * still the same, unexpired, and the user active: two submissions of one
   * link cannot both succeed. Returns whether it did.
   */
  async completeJoining(
    id: string,
    tokenHash: Buffer,
    passwordHash: string,
    now: Date,
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager.getRepository(UserEntity).update(
      {
        id,
        invitationTokenHash: tokenHash,
        invitationExpiresAt: MoreThan(now),
        passwordHash: IsNull(),
        deactivatedAt: IsNull(),
      },
      { passwordHash, invitationTokenHash: null, invitationExpiresAt: null },
    );
    return result.affected === 1;
  }
}
