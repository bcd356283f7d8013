import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { SafeText } from '../common/safe-text';
import { POINT_MARKS, PointMark } from '../assessments/point-review.entity';

const blankToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() || undefined : value;

/** One point's review, as the form sends it: a mark (or none), a reason, a note. */
export class PointReviewDto {
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(POINT_MARKS, { message: 'Choose discussed, not relevant, or no mark.' })
  mark?: PointMark;

  /** Needed for "not relevant"; one message either way: missing, or too long. */
  @SafeText()
  @Transform(blankToUndefined)
  @ValidateIf((dto: PointReviewDto) => dto.mark === 'not_relevant' || dto.reason !== undefined)
  @ValidateBy({
    name: 'reason',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.length <= 500,
      defaultMessage: (args) =>
        typeof args?.value === 'string'
          ? 'The reason can be at most 500 characters.'
          : 'Say why this point is not relevant.',
    },
  })
  reason?: string;

  /** A note may run over lines; nothing else hidden in it. */
  @SafeText({ multiline: true })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'The note can be at most 2,000 characters.' })
  note?: string;
}
