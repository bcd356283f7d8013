import { scorePss10 } from './pss10';

// Answers are listed item1 … item10; items 4, 5, 7 and 8 are reverse-scored.
describe('scorePss10', () => {
  it.each([
    // Six plain items give 0; the four reversed items give 4 − 0 = 4 each.
    ['all answers 0', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16, 'moderate'],
    // Six plain items give 4 each = 24; the reversed items give 4 − 4 = 0.
    ['all answers 4', [4, 4, 4, 4, 4, 4, 4, 4, 4, 4], 24, 'moderate'],
    // Plain items 1, 2, 3, 6, 9, 10: 2 + 1 + 3 + 2 + 2 + 3 = 13.
    // Reversed items 4, 5, 7, 8: (4−3) + (4−1) + (4−0) + (4−4) = 1 + 3 + 4 + 0 = 8.
    // Total 13 + 8 = 21.
    ['a mixed set worked by hand', [2, 1, 3, 3, 1, 2, 0, 4, 2, 3], 21, 'moderate'],
    // Lowest possible: plain items 0, reversed items answered 4.
    ['the minimum', [0, 0, 0, 4, 4, 0, 4, 4, 0, 0], 0, 'low'],
    // Highest possible: plain items 4, reversed items answered 0.
    ['the maximum', [4, 4, 4, 0, 0, 4, 0, 0, 4, 4], 40, 'high'],
    // Reversed items answered 1, 1, 1, 0 give 3 + 3 + 3 + 4 = 13.
    ['13, the top of low', [0, 0, 0, 1, 1, 0, 1, 0, 0, 0], 13, 'low'],
    // Reversed items answered 1, 1, 0, 0 give 3 + 3 + 4 + 4 = 14.
    ['14, the bottom of moderate', [0, 0, 0, 1, 1, 0, 0, 0, 0, 0], 14, 'moderate'],
    // Plain items 6 × 4 = 24; reversed items answered 4, 4, 4, 2 give 0 + 0 + 0 + 2.
    ['26, the top of moderate', [4, 4, 4, 4, 4, 4, 4, 2, 4, 4], 26, 'moderate'],
    // Plain items 24; reversed items answered 4, 4, 4, 1 give 0 + 0 + 0 + 3.
    ['27, the bottom of high', [4, 4, 4, 4, 4, 4, 4, 1, 4, 4], 27, 'high'],
  ])('%s → %i (%s)', (_case, items, total, band) => {
    expect(scorePss10(items)).toEqual({
      status: 'scored',
      total,
      band,
      reversedItems: [4, 5, 7, 8],
    });
  });

  it.each([
    ['one blank', [1, 2, 3, undefined, 1, 2, 3, 1, 2, 3], ['item4']],
    ['several blanks', [undefined, 0, 0, 0, 0, 0, 0, 0, 0, undefined], ['item1', 'item10']],
    // Holes in a sparse array are blanks, not zeros.
    // eslint-disable-next-line no-sparse-arrays
    ['a sparse array', [0, , 0, 0, 0, 0, 0, 0, 0, 0], ['item2']],
  ])('never scores a blank as 0: %s → incomplete', (_case, items, missing) => {
    expect(scorePss10(items)).toEqual({ status: 'incomplete', missing });
  });

  it.each([
    ['an answer of 5', [0, 0, 5, 0, 0, 0, 0, 0, 0, 0], 'item3'],
    ['a negative answer', [0, 0, 0, 0, 0, 0, 0, 0, 0, -1], 'item10'],
    ['a fractional answer', [0, 0, 0, 0, 0, 0, 2.5, 0, 0, 0], 'item7'],
    ['an out-of-range answer beside a blank', [undefined, 9, 0, 0, 0, 0, 0, 0, 0, 0], 'item2'],
    ['nine answers', [0, 0, 0, 0, 0, 0, 0, 0, 0], 'items'],
    ['eleven answers', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'items'],
  ])('throws a RangeError naming the input for %s', (_case, items, name) => {
    const score = () => scorePss10(items);
    expect(score).toThrow(RangeError);
    expect(score).toThrow(name);
  });
});
