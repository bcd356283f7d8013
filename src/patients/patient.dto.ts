import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PILLARS, Pillar } from '../common/pillar';
import { SafeText } from '../common/safe-text';
import { Protocol, PROTOCOLS } from '../common/protocol';
import { PATIENT_INTAKE_STATUSES, PatientEntity, PatientIntakeStatus } from './patient.entity';
import { PatientArchivedFilter, PatientSort } from './patient.repository';
import { IsPhone, PHONE_MAX_LENGTH } from './contact-details';

const SORTS: readonly PatientSort[] = ['name', 'activity'];
const ARCHIVED: readonly PatientArchivedFilter[] = ['include', 'only'];

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const blankToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : trim({ value });
/** For a change: a blank field (or null) clears the value; a field left out keeps it. */
const blankToNull = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? null : trim({ value });

const EMAIL_MESSAGE = 'Enter an email address, like name@example.org.';
const REFERENCE_MESSAGE = 'The reference may hold letters, digits, spaces and . / _ -';

/** Decorators in the order they read when stacked above a property (the last applies first). */
const stack = (...decorators: PropertyDecorator[]): PropertyDecorator =>
  applyDecorators(...[...decorators].reverse());

/*
 * The fields a patient's record is made of, once: adding a patient requires
 * the names; changing one takes any of them. Each shorthand stacks the
 * checks of its field (the transform first: class-transformer runs it).
 */
const GivenName = (): PropertyDecorator =>
  stack(
    ApiProperty({ example: 'Alex', maxLength: 100 }),
    SafeText(),
    Transform(trim),
    IsString({ message: 'Enter the given name.' }),
    MinLength(1, { message: 'Enter the given name.' }),
    MaxLength(100, { message: 'The given name can be at most 100 characters.' }),
  );
const FamilyName = (): PropertyDecorator =>
  stack(
    ApiProperty({ example: 'Morgan', maxLength: 100 }),
    SafeText(),
    Transform(trim),
    IsString({ message: 'Enter the family name.' }),
    MinLength(1, { message: 'Enter the family name.' }),
    MaxLength(100, { message: 'The family name can be at most 100 characters.' }),
  );
const Reference = (blank: typeof blankToNull): PropertyDecorator =>
  stack(
    ApiPropertyOptional({
      description: "The clinic's own identifier (chart number)",
      example: 'MRN-1042',
      nullable: blank === blankToNull,
      type: String,
    }),
    SafeText(),
    Transform(blank),
    IsOptional(),
    IsString(),
    MaxLength(64, { message: 'The reference can be at most 64 characters.' }),
    Matches(/^[\w./ -]+$/, { message: REFERENCE_MESSAGE }),
  );
const Email = (blank: typeof blankToNull): PropertyDecorator =>
  stack(
    ApiPropertyOptional({
      description: 'To reach the patient. Shown to staff of the clinic only; never logged.',
      example: 'alex@example.org',
      maxLength: 254,
      nullable: blank === blankToNull,
      type: String,
    }),
    SafeText(),
    Transform(blank),
    IsOptional(),
    IsEmail({}, { message: EMAIL_MESSAGE }),
    MaxLength(254, { message: 'The email address can be at most 254 characters.' }),
  );
const Phone = (blank: typeof blankToNull): PropertyDecorator =>
  stack(
    ApiPropertyOptional({
      description:
        'To reach the patient, kept as typed: digits, spaces and + - ( ), 6 to 20 digits. Staff of the clinic only; never logged.',
      example: '+44 20 7946 0958',
      maxLength: PHONE_MAX_LENGTH,
      nullable: blank === blankToNull,
      type: String,
    }),
    SafeText(),
    Transform(blank),
    IsOptional(),
    IsPhone(),
  );

export class PatientCreateDto {
  @GivenName()
  givenName!: string;

  @FamilyName()
  familyName!: string;

  @Reference(blankToUndefined)
  reference?: string;

  @Email(blankToUndefined)
  email?: string;

  @Phone(blankToUndefined)
  phone?: string;
}

/**
 * A change to a patient's details: the fields sent are changed, the others
 * kept. A blank (or null) reference, email or phone removes it; the names
 * cannot be blank. Two changes at once: the later one wins, field by field
 * sent (there is no version check).
 */
export class PatientUpdateDto {
  @ApiPropertyOptional({ example: 'Alex', maxLength: 100 })
  @SafeText()
  @Transform(trim)
  @ValidateIf((dto: PatientUpdateDto) => dto.givenName !== undefined)
  @IsString({ message: 'Enter the given name.' })
  @MinLength(1, { message: 'Enter the given name.' })
  @MaxLength(100, { message: 'The given name can be at most 100 characters.' })
  givenName?: string;

  @ApiPropertyOptional({ example: 'Morgan', maxLength: 100 })
  @SafeText()
  @Transform(trim)
  @ValidateIf((dto: PatientUpdateDto) => dto.familyName !== undefined)
  @IsString({ message: 'Enter the family name.' })
  @MinLength(1, { message: 'Enter the family name.' })
  @MaxLength(100, { message: 'The family name can be at most 100 characters.' })
  familyName?: string;

  @Reference(blankToNull)
  reference?: string | null;

  @Email(blankToNull)
  email?: string | null;

  @Phone(blankToNull)
  phone?: string | null;
}

export class PatientListQueryDto {
  @ApiPropertyOptional({ description: 'A fragment of the name or reference' })
  @SafeText()
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: PROTOCOLS })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(PROTOCOLS, { message: `The protocol must be one of: ${PROTOCOLS.join(', ')}.` })
  protocol?: Protocol;

  @ApiPropertyOptional({
    enum: PATIENT_INTAKE_STATUSES,
    description:
      'Where the newest invitation stands: none (never invited), invited, in_progress, submitted, reviewed',
  })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(PATIENT_INTAKE_STATUSES, {
    message: `The status must be one of: ${PATIENT_INTAKE_STATUSES.join(', ')}.`,
  })
  status?: PatientIntakeStatus;

  @ApiPropertyOptional({
    enum: PILLARS,
    description: 'Only patients with a warning in this pillar',
  })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(PILLARS, { message: `The pillar must be one of: ${PILLARS.join(', ')}.` })
  pillar?: Pillar;

  @ApiPropertyOptional({
    enum: ARCHIVED,
    description:
      'Archived patients are left out unless asked for: include (with the others) or only (archived alone)',
  })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(ARCHIVED, { message: 'Archived patients: include or only.' })
  archived?: PatientArchivedFilter;

  @ApiPropertyOptional({ enum: SORTS, default: 'name' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(SORTS, { message: 'Sort by name or activity.' })
  sort?: PatientSort;

  @ApiPropertyOptional({ format: 'uuid', description: 'The `next` of the previous page' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsUUID('all', { message: 'The page link is not valid.' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class PatientResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ nullable: true, type: String }) reference!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ enum: PROTOCOLS, nullable: true, description: 'Of the newest invitation' })
  protocol!: Protocol | null;
  @ApiProperty({ enum: PATIENT_INTAKE_STATUSES }) intakeStatus!: PatientIntakeStatus;
  @ApiProperty({
    enum: PILLARS,
    isArray: true,
    description: 'Pillars with warnings, latest assessment',
  })
  flaggedPillars!: Pillar[];
  @ApiProperty({
    enum: PILLARS,
    isArray: true,
    description: 'Pillars with too few answers to assess, latest assessment',
  })
  thinPillars!: Pillar[];
  @ApiProperty() lastActivityAt!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When the patient was archived; null while they are not',
  })
  archivedAt!: string | null;
}

/** One patient, with their contact details (the list leaves them out). */
export class PatientDetailDto extends PatientResponseDto {
  @ApiProperty({ nullable: true, type: String, description: 'Staff of the clinic only' })
  email!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'As typed; staff of the clinic only',
  })
  phone!: string | null;
}

export class PatientPageDto {
  @ApiProperty({ type: [PatientResponseDto] }) patients!: PatientResponseDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `after` for the next page; null on the last page',
  })
  next!: string | null;
}

export function mapPatient(patient: PatientEntity): PatientResponseDto {
  return {
    id: patient.id,
    givenName: patient.givenName,
    familyName: patient.familyName,
    reference: patient.reference,
    createdAt: patient.createdAt.toISOString(),
    protocol: patient.protocol,
    intakeStatus: patient.intakeStatus,
    flaggedPillars: patient.flaggedPillars,
    thinPillars: patient.thinPillars,
    lastActivityAt: patient.lastActivityAt.toISOString(),
    archivedAt: patient.archivedAt?.toISOString() ?? null,
  };
}

export function mapPatientDetail(patient: PatientEntity): PatientDetailDto {
  return { ...mapPatient(patient), email: patient.email, phone: patient.phone };
}
