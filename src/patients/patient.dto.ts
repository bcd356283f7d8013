import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
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
} from 'class-validator';
import { PILLARS, Pillar } from '../common/pillar';
import { SafeText } from '../common/safe-text';
import { Protocol, PROTOCOLS } from '../common/protocol';
import { PATIENT_INTAKE_STATUSES, PatientEntity, PatientIntakeStatus } from './patient.entity';
import { PatientSort } from './patient.repository';

const SORTS: readonly PatientSort[] = ['name', 'activity'];

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const blankToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : trim({ value });

export class PatientCreateDto {
  @ApiProperty({ example: 'Alex', maxLength: 100 })
  @SafeText()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'Enter the given name.' })
  @MaxLength(100, { message: 'The given name can be at most 100 characters.' })
  givenName!: string;

  @ApiProperty({ example: 'Morgan', maxLength: 100 })
  @SafeText()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'Enter the family name.' })
  @MaxLength(100, { message: 'The family name can be at most 100 characters.' })
  familyName!: string;

  @ApiPropertyOptional({
    description: "The clinic's own identifier (chart number)",
    example: 'MRN-1042',
  })
  @SafeText()
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: 'The reference can be at most 64 characters.' })
  @Matches(/^[\w./ -]+$/, { message: 'The reference may hold letters, digits, spaces and . / _ -' })
  reference?: string;
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
  };
}
