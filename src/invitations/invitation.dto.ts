import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Protocol, PROTOCOL_LABELS, PROTOCOLS } from '../common/protocol';
import { InvitationEntity } from './invitation.entity';

export class InvitationCreateDto {
  @ApiProperty({ enum: PROTOCOLS })
  @IsIn(PROTOCOLS, { message: `protocol must be one of ${PROTOCOLS.join(', ')}` })
  protocol!: Protocol;
}

export type InvitationState = 'active' | 'revoked' | 'expired';

export class InvitationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ enum: PROTOCOLS }) protocol!: Protocol;
  @ApiProperty() protocolLabel!: string;
  @ApiProperty({ enum: ['active', 'revoked', 'expired'] }) state!: InvitationState;
  @ApiProperty() expiresAt!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) firstUsedAt!: string | null;
}

/** Returned only when a link is made or re-issued: the token is never stored, so never shown again. */
export class InvitationLinkDto extends InvitationResponseDto {
  @ApiProperty({ description: 'The link to give the patient. Shown once.' }) link!: string;
}

export function invitationState(invitation: InvitationEntity, now: Date): InvitationState {
  if (invitation.revokedAt) return 'revoked';
  return invitation.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}

export function mapInvitation(invitation: InvitationEntity, now: Date): InvitationResponseDto {
  return {
    id: invitation.id,
    patientId: invitation.patientId,
    protocol: invitation.protocol,
    protocolLabel: PROTOCOL_LABELS[invitation.protocol],
    state: invitationState(invitation, now),
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
    firstUsedAt: invitation.firstUsedAt?.toISOString() ?? null,
  };
}
