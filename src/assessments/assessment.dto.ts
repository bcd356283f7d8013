import { ApiProperty } from '@nestjs/swagger';
import { PILLARS } from '../common/pillar';
import { mapPointMark, PointMarkDto } from '../reviews/intake-record.dto';
import { AssessmentEntity } from './assessment.entity';
import { PointReviewEntity } from './point-review.entity';

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
  @ApiProperty({
    type: [PointMarkDto],
    description: "The clinicians' marks and notes on its points (unmarked points have none).",
  })
  marks!: PointMarkDto[];
}

export function mapAssessment(
  assessment: AssessmentEntity,
  marks: readonly PointReviewEntity[],
): AssessmentResponseDto {
  return {
    id: assessment.id,
    intakeId: assessment.intakeId,
    rulesetVersion: assessment.rulesetVersion,
    flaggedPillars: assessment.flaggedPillars,
    createdAt: assessment.createdAt.toISOString(),
    results: assessment.results,
    marks: marks.map(mapPointMark),
  };
}
