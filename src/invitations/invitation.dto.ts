import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { Protocol, PROTOCOL_LABELS, PROTOCOLS } from '../common/protocol';
import {
  DELIVERY_PROBLEMS,
  DELIVERY_STATUSES,
  DeliveryEntity,
  DELIVERY_STOPS,
  DeliveryProblem,
  DeliveryStatus,
  DeliveryStop,
} from '../mail/delivery.entity';
import { InvitationEntity } from './invitation.entity';

export class InvitationCreateDto {
  @ApiProperty({ enum: PROTOCOLS })
  @IsIn(PROTOCOLS, { message: `protocol must be one of ${PROTOCOLS.join(', ')}` })
  protocol!: Protocol;

  @ApiProperty({
    required: false,
    description:
      'Replace an active link of the same protocol (it is revoked). Without it, such a link makes the request fail with 409.',
  })
  @IsOptional()
  // A form posts text; the API sends a boolean.
  @Transform(({ value }: { value: unknown }) =>
    value === 'yes' || value === 'true' ? true : value,
  )
  @IsBoolean({ message: 'replace must be true or false' })
  replace?: boolean;

  @ApiProperty({
    required: false,
    enum: ['email'],
    description:
      "`email`: also email the link to the patient's address, in the same request (the token exists only now). Refused (400) when the patient has no email or email is off (SMTP_URL unset). A failed send still makes the link: see `email` in the response.",
  })
  @IsOptional()
  @IsIn(['email'], { message: 'send must be email (or left out)' })
  send?: 'email';
}

/** The last email with a link to the patient: waiting for a try, sent, failed or not sent, and why. */
export class InvitationEmailDto {
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty({ description: 'When it last changed (a try ended, or it was stopped).' })
  at!: string;
  @ApiProperty({ description: 'Tries so far; a failed try is retried with backoff.' })
  attempts!: number;
  @ApiProperty({ enum: DELIVERY_PROBLEMS, nullable: true, type: String })
  problem!: DeliveryProblem | null;
  @ApiProperty({ nullable: true, type: String, description: 'While pending: the next try.' })
  nextAttemptAt!: string | null;
  @ApiProperty({
    enum: DELIVERY_STOPS,
    nullable: true,
    type: String,
    description: 'Why it was not sent after all (cancelled).',
  })
  stoppedBecause!: DeliveryStop | null;
}

/** A reminder of the link, on the clinic's schedule. */
export class InvitationReminderDto extends InvitationEmailDto {
  @ApiProperty({ description: '1, 2 or 3.' }) number!: number;
  @ApiProperty({ description: 'The day of the schedule it is (or was) due.' }) dueAt!: string;
}

export function mapEmail(delivery: DeliveryEntity): InvitationEmailDto {
  return {
    status: delivery.status,
    at: delivery.updatedAt.toISOString(),
    attempts: delivery.attempts,
    problem: delivery.lastError,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    stoppedBecause: delivery.stoppedBecause,
  };
}

function mapReminder(delivery: DeliveryEntity): InvitationReminderDto {
  return { ...mapEmail(delivery), number: delivery.sequence, dueAt: delivery.dueAt.toISOString() };
}

/** Whether the link's token still lets the patient in. */
export type LinkState = 'active' | 'revoked' | 'expired';
/** `used`: the patient has sent the intake this link opened; the link now only shows it was sent. */
export type InvitationState = LinkState | 'used';

/** What became of the intake a link opened, when it has one. */
export interface InvitationIntake {
  readonly status: 'in_progress' | 'submitted' | 'reviewed';
  readonly submittedAt: Date | null;
}

export class InvitationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ enum: PROTOCOLS }) protocol!: Protocol;
  @ApiProperty() protocolLabel!: string;
  @ApiProperty({ enum: ['active', 'used', 'revoked', 'expired'] }) state!: InvitationState;
  @ApiProperty() expiresAt!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) firstUsedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When the intake was sent through it.',
  })
  submittedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: InvitationEmailDto,
    description:
      'The last email with this link to the patient; null when it was never emailed (or only before it was re-issued).',
  })
  email!: InvitationEmailDto | null;
  @ApiProperty({
    type: [InvitationReminderDto],
    description:
      'The reminders of the link as it is now issued, in order: planned (pending), sent, failed or not sent (cancelled, and why).',
  })
  reminders!: InvitationReminderDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When the patient stopped reminders, from a link in an email.',
  })
  remindersStoppedAt!: string | null;
}

/** Returned only when a link is made or re-issued: the token is never stored, so never shown again. */
export class InvitationLinkDto extends InvitationResponseDto {
  @ApiProperty({ description: 'The link to give the patient. Shown once.' }) link!: string;
}

export function linkState(invitation: InvitationEntity, now: Date): LinkState {
  if (invitation.revokedAt) return 'revoked';
  return invitation.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}

/**
 * The invitation as a patient's link sees it: while the patient is archived,
 * revoked since the archiving (unless revoked before), so every check of a
 * link's state refuses it as a revoked link.
 */
export function withArchive(
  invitation: InvitationEntity,
  patientArchivedAt: Date | null,
): InvitationEntity {
  if (!patientArchivedAt || invitation.revokedAt) return invitation;
  return { ...invitation, revokedAt: patientArchivedAt };
}

export function invitationState(
  invitation: InvitationEntity,
  now: Date,
  intake?: InvitationIntake | null,
): InvitationState {
  return intake && intake.status !== 'in_progress' ? 'used' : linkState(invitation, now);
}

export function mapInvitation(
  invitation: InvitationEntity,
  now: Date,
  intake?: InvitationIntake | null,
  deliveries: readonly DeliveryEntity[] = [],
): InvitationResponseDto {
  // Emails of the link before it was re-issued carried the old token: they no longer count.
  const current = deliveries.filter(
    (delivery) => delivery.linkExpiresAt.getTime() === invitation.expiresAt.getTime(),
  );
  const email = current.filter((delivery) => delivery.kind === 'invitation').at(-1);
  return {
    id: invitation.id,
    patientId: invitation.patientId,
    protocol: invitation.protocol,
    protocolLabel: PROTOCOL_LABELS[invitation.protocol],
    state: invitationState(invitation, now, intake),
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
    firstUsedAt: invitation.firstUsedAt?.toISOString() ?? null,
    submittedAt: intake?.submittedAt?.toISOString() ?? null,
    email: email ? mapEmail(email) : null,
    reminders: current
      .filter((delivery) => delivery.kind === 'reminder')
      .sort((a, b) => a.sequence - b.sequence)
      .map(mapReminder),
    remindersStoppedAt: invitation.remindersStoppedAt?.toISOString() ?? null,
  };
}
