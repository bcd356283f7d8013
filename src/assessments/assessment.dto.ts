import { ApiProperty } from '@nestjs/swagger';
import { PILLARS } from '../common/pillar';
import { AssessmentEntity } from './assessment.entity';

export class AssessmentResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) intakeId!: string;
  @ApiProperty() rulesetVersion!: string;
  @ApiProperty({ enum: PILLARS, isArray: true }) flaggedPillars!: string[];
  @ApiProperty() createdAt!: string;
  @ApiProperty({
    description:
      'Discussion points (CDS Hooks card shape: summary, detail, indicator, source, and why), rows matched per table.',
  })
  results!: Record<string, unknown>;
}

export function mapAssessment(assessment: AssessmentEntity): AssessmentResponseDto {
  return {
    id: assessment.id,
    intakeId: assessment.intakeId,
    rulesetVersion: assessment.rulesetVersion,
    flaggedPillars: assessment.flaggedPillars,
    createdAt: assessment.createdAt.toISOString(),
    results: assessment.results,
  };
}
