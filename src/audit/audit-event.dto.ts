import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { ClinicScope } from '../common/clinic-scope';
import { AUDIT_ACTION_NAMES, AuditAction, describeAction } from './audit-actions';
import { AUDIT_OUTCOMES, AuditOutcome } from './audit-event.entity';
import { AuditEventRead } from './audit-event.repository';

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

/** The most days one export may span. */
export const EXPORT_MAX_DAYS = 366;

/** The decorated day is at most `days` days after the day in `property` (counted inclusive). */
function IsWithinDaysOf(
  property: string,
  days: number,
  options: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isWithinDaysOf',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [property, days],
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const other = (args.object as Record<string, unknown>)[property];
          if (typeof value !== 'string' || typeof other !== 'string') return true;
          const span =
            (Date.parse(`${value}T00:00:00Z`) - Date.parse(`${other}T00:00:00Z`)) / 86_400_000;
          return !(span + 1 > days);
        },
      },
    });
}

/** The days of an export of the audit log: both required, in the clinic's time zone, inclusive. */
export class AuditExportQueryDto {
  @ApiProperty({ format: 'date', description: "First day, inclusive, in the clinic's time zone" })
  @Transform(blankToUndefined)
  @IsNotEmpty({ message: 'Enter the first day to export, as YYYY-MM-DD.' })
  @Matches(DAY, { message: 'Enter the first day as YYYY-MM-DD, like 2026-03-01.' })
  @IsISO8601({ strict: true }, { message: 'The first day is not a real date.' })
  from!: string;

  @ApiProperty({
    format: 'date',
    description: `Last day, inclusive; at most ${EXPORT_MAX_DAYS} days from the first`,
  })
  @Transform(blankToUndefined)
  @IsNotEmpty({ message: 'Enter the last day to export, as YYYY-MM-DD.' })
  @Matches(DAY, { message: 'Enter the last day as YYYY-MM-DD, like 2026-03-31.' })
  @IsISO8601({ strict: true }, { message: 'The last day is not a real date.' })
  @IsNotBeforeDay('from', { message: 'The last day cannot be before the first day.' })
  @IsWithinDaysOf('from', EXPORT_MAX_DAYS, {
    message: `One export covers at most ${EXPORT_MAX_DAYS} days: choose an earlier last day.`,
  })
  to!: string;
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

  @ApiPropertyOptional({ enum: AUDIT_ACTION_NAMES, description: 'Exact action' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(AUDIT_ACTION_NAMES, { message: 'Choose an action from the list.' })
  action?: AuditAction;

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

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "The patient the events concern (any record of theirs); for the clinic's own patients, refused attempts from other clinics too",
  })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsUUID('all', { message: 'Enter a patient id (a UUID), or leave it empty.' })
  patientId?: string;

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

/** Who acted, in words a clinic may read: never the name of another clinic's staff. */
export const OUTSIDE_CLINIC = 'Someone outside this clinic';
const ACTOR_LABELS = {
  patient: 'The patient (invitation link)',
  anonymous: 'Not signed in',
  system: 'The service',
} as const;

export class AuditEventResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() actorType!: string;
  @ApiProperty({ nullable: true, type: String, description: "Null for another clinic's staff" })
  actorId!: string | null;
  @ApiProperty({
    description: "Who acted, in words: a name, or e.g. 'Someone outside this clinic'",
  })
  actorName!: string;
  @ApiProperty({ description: 'The act was by staff of another clinic (on one of your patients)' })
  outsideClinic!: boolean;
  @ApiProperty({ enum: AUDIT_ACTION_NAMES }) action!: AuditAction;
  @ApiProperty() actionDescription!: string;
  @ApiProperty({ nullable: true, type: String }) targetType!: string | null;
  @ApiProperty({ nullable: true, type: String }) targetId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "A user target's name" })
  targetName!: string | null;
  @ApiProperty({ nullable: true, type: String }) patientId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "Of your clinic's patients only" })
  patientName!: string | null;
  @ApiProperty({ nullable: true, type: String }) patientReference!: string | null;
  @ApiProperty({ enum: AUDIT_OUTCOMES }) outcome!: AuditOutcome;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
}

/** One page of the log, newest first; `olderBefore` continues it, null on the last page. */
export interface AuditEventPage {
  readonly events: AuditEventResponseDto[];
  readonly olderBefore: string | null;
}

/** Who did it, as the clinic reads it: a user's name, a key's name, or what kind of actor. */
function actorName(event: AuditEventRead): string {
  switch (event.actorType) {
    case 'user':
      return event.actorName ?? 'Unknown user';
    case 'api_key':
      return `API key "${event.actorName ?? 'unknown'}"`;
    case 'patient':
    case 'anonymous':
    case 'system':
      return ACTOR_LABELS[event.actorType];
  }
}

/** An event as `scope`'s clinic may read it: another clinic's staff stay unnamed, their ids and requests unshown. */
export function mapAuditEvent(event: AuditEventRead, scope: ClinicScope): AuditEventResponseDto {
  const outsideClinic = event.clinicId !== scope.clinicId;
  return {
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorType: event.actorType,
    actorId: outsideClinic ? null : event.actorId,
    actorName: outsideClinic ? OUTSIDE_CLINIC : actorName(event),
    outsideClinic,
    action: event.action,
    actionDescription: describeAction(event.action),
    targetType: event.targetType,
    targetId: event.targetId,
    targetName: event.targetName,
    patientId: event.patientId,
    patientName: event.patient ? `${event.patient.givenName} ${event.patient.familyName}` : null,
    patientReference: event.patient?.reference ?? null,
    outcome: event.outcome,
    requestId: outsideClinic ? null : event.requestId,
  };
}
