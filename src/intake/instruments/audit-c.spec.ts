import { AuditCAnswers, scoreAuditC } from './audit-c';

function answers(overrides: Partial<AuditCAnswers>): AuditCAnswers {
  return {
    frequency: undefined,
    typicalDrinks: undefined,
    sixOrMore: undefined,
    sex: undefined,
    ...overrides,
  };
}

describe('scoreAuditC', () => {
  it.each([
    // 2 + 1 + 0 = 3: at the women's cut-off of 3, below the men's cut-off of 4.
    [
      '3, female',
      { frequency: 2, typicalDrinks: 1, sixOrMore: 0, sex: 'female' },
      3,
      true,
      3,
      'female',
    ],
    ['3, male', { frequency: 2, typicalDrinks: 1, sixOrMore: 0, sex: 'male' }, 3, false, 4, 'male'],
    // 2 + 1 + 1 = 4: at the men's cut-off.
    ['4, male', { frequency: 2, typicalDrinks: 1, sixOrMore: 1, sex: 'male' }, 4, true, 4, 'male'],
    // 1 + 1 + 0 = 2: below both cut-offs.
    [
      '2, female',
      { frequency: 1, typicalDrinks: 1, sixOrMore: 0, sex: 'female' },
      2,
      false,
      3,
      'female',
    ],
    // No validated cut-off for 'other' or a blank: the lower one (3) is used.
    [
      '3, other',
      { frequency: 2, typicalDrinks: 1, sixOrMore: 0, sex: 'other' },
      3,
      true,
      3,
      'unspecified-used-lower',
    ],
    [
      '3, sex blank',
      { frequency: 2, typicalDrinks: 1, sixOrMore: 0 },
      3,
      true,
      3,
      'unspecified-used-lower',
    ],
    [
      'the maximum',
      { frequency: 4, typicalDrinks: 4, sixOrMore: 4, sex: 'male' },
      12,
      true,
      4,
      'male',
    ],
    // The form skips the quantity questions for someone who never drinks.
    ['a never-drinker with skipped items', { frequency: 0, sex: 'female' }, 0, false, 3, 'female'],
    [
      'a never-drinker who answered 0s',
      { frequency: 0, typicalDrinks: 0, sixOrMore: 0, sex: 'male' },
      0,
      false,
      4,
      'male',
    ],
    // The form would have skipped these, but answers that did arrive are summed as given.
    [
      'a never-drinker who answered anyway',
      { frequency: 0, typicalDrinks: 1, sixOrMore: 0, sex: 'male' },
      1,
      false,
      4,
      'male',
    ],
    [
      'a never-drinker who skipped one',
      { frequency: 0, typicalDrinks: 0, sex: 'other' },
      0,
      false,
      3,
      'unspecified-used-lower',
    ],
  ] as const)('%s → total %i, positive %s', (_case, given, total, positive, threshold, basis) => {
    expect(scoreAuditC(answers(given))).toEqual({
      status: 'scored',
      total,
      positive,
      threshold,
      thresholdBasis: basis,
    });
  });

  it.each([
    ['a drinker skipped one item', { frequency: 3, typicalDrinks: 1, sex: 'male' }, ['sixOrMore']],
    ['a drinker skipped both', { frequency: 1, sex: 'female' }, ['typicalDrinks', 'sixOrMore']],
    ['frequency is blank', { typicalDrinks: 0, sixOrMore: 0 }, ['frequency']],
    ['nothing answered', {}, ['frequency', 'typicalDrinks', 'sixOrMore']],
  ] as const)('never scores a blank as 0 when %s → incomplete', (_case, given, missing) => {
    expect(scoreAuditC(answers(given))).toEqual({ status: 'incomplete', missing });
  });

  it.each([
    ['frequency of 5', { frequency: 5, typicalDrinks: 0, sixOrMore: 0 }, 'frequency'],
    ['negative typicalDrinks', { frequency: 2, typicalDrinks: -1, sixOrMore: 0 }, 'typicalDrinks'],
    ['fractional sixOrMore', { frequency: 2, typicalDrinks: 1, sixOrMore: 1.5 }, 'sixOrMore'],
    ['a bad value a non-drinker skipped past', { frequency: 0, sixOrMore: 7 }, 'sixOrMore'],
  ] as const)('throws a RangeError naming the input for %s', (_case, given, name) => {
    const score = () => scoreAuditC(answers(given));
    expect(score).toThrow(RangeError);
    expect(score).toThrow(name);
  });

  it('throws a RangeError for an unknown sex', () => {
    const score = () => scoreAuditC(answers({ frequency: 1, sex: 'unknown' as 'other' }));
    expect(score).toThrow(RangeError);
    expect(score).toThrow('sex');
  });
});
