import { validateForm } from '../common/form-validation';
import { PointReviewDto } from './point-review.dto';

describe('PointReviewDto', () => {
  it('asks for a reason, once, when the point is marked not relevant', () => {
    const { problems } = validateForm(PointReviewDto, { mark: 'not_relevant', reason: '  ' });
    expect(problems).toEqual([{ field: 'reason', message: 'Say why this point is not relevant.' }]);
  });

  it('refuses a reason over 500 characters with its own message', () => {
    const { problems } = validateForm(PointReviewDto, {
      mark: 'not_relevant',
      reason: 'x'.repeat(501),
    });
    expect(problems).toEqual([
      { field: 'reason', message: 'The reason can be at most 500 characters.' },
    ]);
  });

  it('accepts a mark without a reason unless it is "not relevant", and no mark at all', () => {
    expect(validateForm(PointReviewDto, { mark: 'discussed' }).problems).toEqual([]);
    expect(validateForm(PointReviewDto, { mark: '', note: 'later' }).problems).toEqual([]);
    expect(validateForm(PointReviewDto, { mark: 'maybe' }).problems).toEqual([
      { field: 'mark', message: 'Choose discussed, not relevant, or no mark.' },
    ]);
  });
});
