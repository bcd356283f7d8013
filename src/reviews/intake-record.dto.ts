import { ApiProperty } from '@nestjs/swagger';
import { PROTOCOLS, Protocol } from '../common/protocol';
import { POINT_MARKS, PointMark, PointReviewEntity } from '../assessments/point-review.entity';
import { INTAKE_STATUSES, IntakeEntity, IntakeStatus } from '../intakes/intake.entity';

/** One of a patient's intakes, as a list shows it: no answers. */
export class IntakeSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ format: 'uuid' }) invitationId!: string;
  @ApiProperty({ enum: PROTOCOLS }) protocol!: Protocol;
  @ApiProperty({ enum: INTAKE_STATUSES }) status!: IntakeStatus;
  @ApiProperty({ description: 'The questionnaire version it was (or is being) answered in.' })
  questionnaireVersion!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewedAt!: string | null;
}

/** An intake whole: its answers as given and, once sent, the instruments' scores. */
export class IntakeRecordDto extends IntakeSummaryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'By question id (unique across the sections), as given; a question left blank is absent, never defaulted. Read them against the questionnaire version (FHIR: /fhir/Questionnaire).',
  })
  answers!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The instruments’ scores, stored when it was sent; null while in progress.',
  })
  scores!: Record<string, unknown> | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The privacy notice version agreed to.',
  })
  consentVersion!: number | null;
  @ApiProperty({ nullable: true, type: String }) consentedAt!: string | null;
}

/** A clinician's mark and note on one discussion point. */
export class PointMarkDto {
  @ApiProperty({ description: 'The point (its rule id).' }) pointId!: string;
  @ApiProperty({ enum: POINT_MARKS, nullable: true }) mark!: PointMark | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why not relevant.' })
  reason!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'For the clinic only.' })
  note!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null once cleared.' })
  updatedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) updatedAt!: string | null;
}

/** The answer to completing a review. */
export class ReviewCompletionDto {
  @ApiProperty() completed!: boolean;
  @ApiProperty({ description: 'Discussion points marked.' }) marked!: number;
  @ApiProperty({ description: 'Discussion points of the newest assessment (strengths aside).' })
  points!: number;
}

export const mapIntakeSummary = (intake: IntakeEntity): IntakeSummaryDto => ({
  id: intake.id,
  patientId: intake.patientId,
  invitationId: intake.invitationId,
  protocol: intake.protocol,
  status: intake.status,
  questionnaireVersion: intake.questionnaireVersion,
  createdAt: intake.createdAt.toISOString(),
  submittedAt: intake.submittedAt?.toISOString() ?? null,
  reviewedAt: intake.reviewedAt?.toISOString() ?? null,
});

export const mapIntakeRecord = (intake: IntakeEntity): IntakeRecordDto => ({
  ...mapIntakeSummary(intake),
  answers: intake.answers,
  scores: intake.scores,
  consentVersion: intake.consentVersion,
  consentedAt: intake.consentedAt?.toISOString() ?? null,
});

/** A point with no mark and no note (cleared, or never marked). */
export const unmarkedPoint = (pointId: string): PointMarkDto => ({
  pointId,
  mark: null,
  reason: null,
  note: null,
  updatedBy: null,
  updatedAt: null,
});

export const mapPointMark = (review: PointReviewEntity): PointMarkDto => ({
  pointId: review.pointId,
  mark: review.mark,
  reason: review.reason,
  note: review.note,
  updatedBy: review.updatedBy,
  updatedAt: review.updatedAt.toISOString(),
});
