import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { SafeText } from '../common/safe-text';
import { USER_ROLES, UserEntity, UserRole } from '../users/user.entity';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const trimLower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export const ROLE_LABELS: Readonly<Record<UserRole, string>> = {
  clinician: 'Clinician',
  admin: 'Admin',
};

/** The admin's "invite a clinician" form. */
export class ClinicianInviteDto {
  @SafeText()
  @Transform(trim)
  @IsString({ message: 'Enter the name to show for this person.' })
  @MinLength(1, { message: 'Enter the name to show for this person.' })
  @MaxLength(120, { message: 'The name can be at most 120 characters.' })
  displayName!: string;

  @SafeText()
  @Transform(trimLower)
  @IsEmail({}, { message: 'Enter an email address, like name@clinic.org.' })
  @MaxLength(254, { message: 'The email address can be at most 254 characters.' })
  email!: string;

  @IsIn(USER_ROLES, { message: 'Choose a role: clinician or admin.' })
  role!: UserRole;
}

export type ClinicianStatus = 'active' | 'deactivated' | 'invited';

export const STATUS_LABELS: Readonly<Record<ClinicianStatus, string>> = {
  active: 'Active',
  deactivated: 'Deactivated',
  invited: 'Invited, not joined yet',
};

export interface ClinicianResponseDto {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
  readonly role: UserRole;
  readonly status: ClinicianStatus;
  readonly lastSignInAt: string | null;
  /** An invited user's link: when it stops working (null once joined). */
  readonly invitationExpiresAt: string | null;
  readonly invitationExpired: boolean;
  /** Signs in with a second factor (an authenticator app). */
  readonly mfaEnrolled: boolean;
}

/** Returned only when a link is made: its token is never stored, so it is never shown again. */
export interface ClinicianLinkDto {
  readonly clinician: ClinicianResponseDto;
  readonly link: string;
  readonly expiresAt: string;
}

export function clinicianStatus(user: UserEntity): ClinicianStatus {
  if (user.deactivatedAt) return 'deactivated';
  return user.passwordHash ? 'active' : 'invited';
}

export function mapClinician(user: UserEntity, now: Date): ClinicianResponseDto {
  return {
    id: user.id,
    displayName: user.displayName,
    email: user.email,
    role: user.role,
    status: clinicianStatus(user),
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    invitationExpiresAt: user.invitationExpiresAt?.toISOString() ?? null,
    invitationExpired: Boolean(
      user.invitationExpiresAt && user.invitationExpiresAt.getTime() <= now.getTime(),
    ),
    mfaEnrolled: user.mfaEnrolledAt !== null,
  };
}
