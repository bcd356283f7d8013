import { scoreWho2020, weeklyMinutes, Who2020Answers } from './who-2020';

function answers(overrides: Partial<Who2020Answers>): Who2020Answers {
  return {
    moderateMinutesPerWeek: undefined,
    vigorousMinutesPerWeek: undefined,
    strengthDaysPerWeek: undefined,
    ...overrides,
  };
}

// Equivalent minutes = moderate + 2 × vigorous; below < 150 ≤ met ≤ 300 < upper.
// WHO 2020: 150-300 minutes, and additional benefit from "more than 300".
describe('scoreWho2020', () => {
  it.each([
    ['150 moderate', 150, 0, 150, 'met'],
    ['75 vigorous, equivalent to 150', 0, 75, 150, 'met'],
    ['60 moderate + 45 vigorous = 60 + 90', 60, 45, 150, 'met'],
    ['149 moderate', 149, 0, 149, 'below'],
    ['74 vigorous, equivalent to 148', 0, 74, 148, 'below'],
    ['nothing', 0, 0, 0, 'below'],
    ['299 moderate', 299, 0, 299, 'met'],
    ['300 moderate, the top of the range', 300, 0, 300, 'met'],
    ['150 vigorous, equivalent to 300', 0, 150, 300, 'met'],
    ['301 moderate', 301, 0, 301, 'upper'],
    // No 10-minute bout rule: every minute counts.
    ['minutes from short sessions', 145, 3, 151, 'met'],
  ])('%s → %s', (_case, moderate, vigorous, equivalent, aerobic) => {
    const result = scoreWho2020({
      moderateMinutesPerWeek: moderate,
      vigorousMinutesPerWeek: vigorous,
      strengthDaysPerWeek: 2,
    });
    expect(result).toEqual({
      status: 'scored',
      aerobicEquivalentMinutes: equivalent,
      aerobic,
      strength: 'met',
    });
  });

  it.each([
    [0, 'below'],
    [1, 'below'],
    [2, 'met'],
    [7, 'met'],
  ])('strength on %i days a week → %s', (days, strength) => {
    const result = scoreWho2020(
      answers({
        moderateMinutesPerWeek: 200,
        vigorousMinutesPerWeek: 0,
        strengthDaysPerWeek: days,
      }),
    );
    expect(result).toMatchObject({ status: 'scored', aerobic: 'met', strength });
  });

  describe('blanks are unknown, never below', () => {
    it.each([
      [
        'moderate blank',
        { vigorousMinutesPerWeek: 30, strengthDaysPerWeek: 1 },
        { aerobicEquivalentMinutes: undefined, aerobic: 'unknown', strength: 'below' },
      ],
      [
        // 200 moderate alone reaches 'met', but vigorous minutes could make it 'upper'.
        'vigorous blank',
        { moderateMinutesPerWeek: 200, strengthDaysPerWeek: 3 },
        { aerobicEquivalentMinutes: undefined, aerobic: 'unknown', strength: 'met' },
      ],
      [
        'strength blank',
        { moderateMinutesPerWeek: 0, vigorousMinutesPerWeek: 0 },
        { aerobicEquivalentMinutes: 0, aerobic: 'below', strength: 'unknown' },
      ],
    ])('%s → scored with the known part', (_case, given, expected) => {
      expect(scoreWho2020(answers(given))).toEqual({ status: 'scored', ...expected });
    });

    it.each([
      [
        'everything blank',
        {},
        ['moderateMinutesPerWeek', 'vigorousMinutesPerWeek', 'strengthDaysPerWeek'],
      ],
      [
        'only vigorous answered',
        { vigorousMinutesPerWeek: 100 },
        ['moderateMinutesPerWeek', 'strengthDaysPerWeek'],
      ],
    ])('%s → incomplete', (_case, given, missing) => {
      expect(scoreWho2020(answers(given))).toEqual({ status: 'incomplete', missing });
    });
  });

  it.each([
    ['negative moderate minutes', { moderateMinutesPerWeek: -1 }, 'moderateMinutesPerWeek'],
    [
      'more vigorous minutes than a week has',
      { vigorousMinutesPerWeek: 10081 },
      'vigorousMinutesPerWeek',
    ],
    ['8 strength days', { strengthDaysPerWeek: 8 }, 'strengthDaysPerWeek'],
    ['fractional strength days', { strengthDaysPerWeek: 1.5 }, 'strengthDaysPerWeek'],
  ])('throws a RangeError naming the input for %s', (_case, given, name) => {
    const score = () => scoreWho2020(answers(given));
    expect(score).toThrow(RangeError);
    expect(score).toThrow(name);
  });
});

describe('weeklyMinutes', () => {
  it.each([
    [3, 30, 90],
    [7, 5, 35],
    [0, 45, 0],
    [0, undefined, 0],
    [undefined, 30, undefined],
    [4, undefined, undefined],
    [undefined, undefined, undefined],
  ])('%s days × %s minutes → %s', (days, minutesPerDay, expected) => {
    expect(weeklyMinutes(days, minutesPerDay)).toBe(expected);
  });

  it.each([
    [8, 30, 'days'],
    [-1, 30, 'days'],
    [3, 1441, 'minutesPerDay'],
    [3, -5, 'minutesPerDay'],
  ])(
    'throws a RangeError naming the input for %s days × %s minutes',
    (days, minutesPerDay, name) => {
      const convert = () => weeklyMinutes(days, minutesPerDay);
      expect(convert).toThrow(RangeError);
      expect(convert).toThrow(`${name} must be`);
    },
  );
});
