import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { AUDIT_OUTCOMES, AuditEventEntity, AuditOutcome } from './audit-event.entity';

/** A GET form sends empty fields for filters left blank: they mean "no filter". */
const blankToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() || undefined : value;

/** A query parameter read as a number (NaN when it is not one); blank means absent. */
const blankOrNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? (value.trim() === '' ? undefined : Number(value)) : value;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The decorated day (YYYY-MM-DD) is not before the day in `property`. */
function IsNotBeforeDay(property: string, options: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotBeforeDay',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [property],
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const other = (args.object as Record<string, unknown>)[property];
          return typeof value !== 'string' || typeof other !== 'string' || value >= other;
        },
      },
    });
}

/** Filters and keyset paging of the clinic's audit log (the API and the admin page share them). */
export class AuditEventListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @Transform(blankOrNumber)
  @IsOptional()
  @IsInt({ message: 'The number of events must be a whole number from 1 to 500.' })
  @Min(1, { message: 'The number of events must be a whole number from 1 to 500.' })
  @Max(500, { message: 'The number of events must be a whole number from 1 to 500.' })
  limit?: number;

  @ApiPropertyOptional({ description: 'Exact action, e.g. `auth.sign_in`', example: 'user.invite' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: 'Enter an action like auth.sign_in.' })
  @MaxLength(64, { message: 'An action is at most 64 characters.' })
  @Matches(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, {
    message: 'Enter an action like auth.sign_in: lower-case words joined by dots.',
  })
  action?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The user who acted' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsUUID('all', { message: 'Choose a user from the list.' })
  actorId?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES, { message: `Choose an outcome: ${AUDIT_OUTCOMES.join(', ')}.` })
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ format: 'uuid', description: 'The record acted on' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsUUID('all', { message: 'Enter a record id (a UUID), or leave it empty.' })
  targetId?: string;

  @ApiPropertyOptional({ format: 'date', description: 'First day, inclusive (UTC)' })
  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(DAY, { message: 'Enter the first day as YYYY-MM-DD, like 2026-03-01.' })
  @IsISO8601({ strict: true }, { message: 'The first day is not a real date.' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last day, inclusive (UTC)' })
  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(DAY, { message: 'Enter the last day as YYYY-MM-DD, like 2026-03-31.' })
  @IsISO8601({ strict: true }, { message: 'The last day is not a real date.' })
  @IsNotBeforeDay('from', { message: 'The last day cannot be before the first day.' })
  to?: string;

  @ApiPropertyOptional({
    description: 'Keyset paging: only events older than this event id (the last id of a page)',
    example: '1042',
  })
  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^[1-9]\d{0,17}$/, { message: 'Older than must be an event id, a positive number.' })
  before?: string;
}

export class AuditEventResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() actorType!: string;
  @ApiProperty({ nullable: true, type: String }) actorId!: string | null;
  @ApiProperty() action!: string;
  @ApiProperty({ nullable: true, type: String }) targetType!: string | null;
  @ApiProperty({ nullable: true, type: String }) targetId!: string | null;
  @ApiProperty({ enum: AUDIT_OUTCOMES }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
}

/** One page of the log, newest first; `olderBefore` continues it, null on the last page. */
export interface AuditEventPage {
  readonly events: AuditEventResponseDto[];
  readonly olderBefore: string | null;
}

export function mapAuditEvent(event: AuditEventEntity): AuditEventResponseDto {
  return {
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorType: event.actorType,
    actorId: event.actorId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    outcome: event.outcome,
    requestId: event.requestId,
  };
}
