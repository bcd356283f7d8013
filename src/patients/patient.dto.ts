import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PatientEntity } from './patient.entity';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const blankToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : trim({ value });

export class PatientCreateDto {
  @ApiProperty({ example: 'Alex', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'Enter the given name.' })
  @MaxLength(100, { message: 'The given name can be at most 100 characters.' })
  givenName!: string;

  @ApiProperty({ example: 'Morgan', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'Enter the family name.' })
  @MaxLength(100, { message: 'The family name can be at most 100 characters.' })
  familyName!: string;

  @ApiPropertyOptional({
    description: "The clinic's own identifier (chart number)",
    example: 'MRN-1042',
  })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: 'The reference can be at most 64 characters.' })
  @Matches(/^[\w./ -]+$/, { message: 'The reference may hold letters, digits, spaces and . / _ -' })
  reference?: string;
}

export class PatientListQueryDto {
  @ApiPropertyOptional({ description: 'A fragment of the name or reference' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

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
}

export function mapPatient(patient: PatientEntity): PatientResponseDto {
  return {
    id: patient.id,
    givenName: patient.givenName,
    familyName: patient.familyName,
    reference: patient.reference,
    createdAt: patient.createdAt.toISOString(),
  };
}
