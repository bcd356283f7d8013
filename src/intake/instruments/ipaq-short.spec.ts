import { IpaqShortAnswers, scoreIpaqShort } from './ipaq-short';

/** Nothing done on any day, unless the case says otherwise. */
function answers(overrides: Partial<IpaqShortAnswers>): IpaqShortAnswers {
  return {
    vigorousDays: 0,
    vigorousMinutesPerDay: undefined,
    moderateDays: 0,
    moderateMinutesPerDay: undefined,
    walkingDays: 0,
    walkingMinutesPerDay: undefined,
    sittingMinutesPerDay: undefined,
    ...overrides,
  };
}

// MET-minutes/week = 3.3 × walking + 4.0 × moderate + 8.0 × vigorous (minutes × days each).
describe('scoreIpaqShort', () => {
  it.each([
    [
      // Walking 3.3 × 30 × 5 = 495; moderate 4 × 40 × 3 = 480; vigorous 8 × 25 × 2 = 400.
      // Total 1375. Not high: vigorous on 2 days (< 3) and total < 3000.
      // Moderate by (b): moderate 40 ≥ 30 gives 3 days, walking 30 ≥ 30 gives 5: 8 ≥ 5.
      // (c) holds too: 10 active days and 1375 ≥ 600.
      'the brief’s worked example',
      {
        walkingDays: 5,
        walkingMinutesPerDay: 30,
        moderateDays: 3,
        moderateMinutesPerDay: 40,
        vigorousDays: 2,
        vigorousMinutesPerDay: 25,
      },
      { walking: 495, moderate: 480, vigorous: 400, total: 1375 },
      'moderate',
    ],
    [
      // High (a) only: 8 × 63 × 3 = 1512 ≥ 1500 on 3 vigorous days; 3 active days rule out (b).
      'high by (a): vigorous on 3 days, 1500+',
      { vigorousDays: 3, vigorousMinutesPerDay: 63 },
      { walking: 0, moderate: 0, vigorous: 1512, total: 1512 },
      'high',
    ],
    [
      // One minute less: 8 × 62 × 3 = 1488 < 1500, so not high; moderate by (a).
      'just under high (a)',
      { vigorousDays: 3, vigorousMinutesPerDay: 62 },
      { walking: 0, moderate: 0, vigorous: 1488, total: 1488 },
      'moderate',
    ],
    [
      // High (b) only: no vigorous; 3.3 × 60 × 7 = 1386 + 4 × 60 × 7 = 1680 = 3066 ≥ 3000 over 14 days.
      'high by (b): 7+ days, 3000+',
      { walkingDays: 7, walkingMinutesPerDay: 60, moderateDays: 7, moderateMinutesPerDay: 60 },
      { walking: 1386, moderate: 1680, vigorous: 0, total: 3066 },
      'high',
    ],
    [
      // 14 days but 3.3 × 60 × 7 = 1386 + 4 × 57 × 7 = 1596 = 2982 < 3000: not high; moderate by (b).
      'just under high (b)',
      { walkingDays: 7, walkingMinutesPerDay: 60, moderateDays: 7, moderateMinutesPerDay: 57 },
      { walking: 1386, moderate: 1596, vigorous: 0, total: 2982 },
      'moderate',
    ],
    [
      // Moderate (a) only: 3 days of 20 vigorous minutes = 480; 3 days rule out (c), no walking or moderate.
      'moderate by (a): 3 days of 20+ vigorous minutes',
      { vigorousDays: 3, vigorousMinutesPerDay: 20 },
      { walking: 0, moderate: 0, vigorous: 480, total: 480 },
      'moderate',
    ],
    [
      // 19 minutes a day on 3 days is short of (a); 456 over 3 days misses (c).
      'just under moderate (a)',
      { vigorousDays: 3, vigorousMinutesPerDay: 19 },
      { walking: 0, moderate: 0, vigorous: 456, total: 456 },
      'low',
    ],
    [
      // Moderate (b) only: 5 days of 30 walking minutes. 3.3 × 30 × 5 = 495 < 600 rules out (c).
      'moderate by (b): 5 days of 30-minute walks',
      { walkingDays: 5, walkingMinutesPerDay: 30 },
      { walking: 495, moderate: 0, vigorous: 0, total: 495 },
      'moderate',
    ],
    [
      // Moderate (b) by a mix: 2 moderate + 3 walking days of 30 minutes = 5.
      // 4 × 30 × 2 = 240 + 3.3 × 30 × 3 = 297 = 537 < 600 rules out (c).
      'moderate by (b): moderate and walking days added together',
      { moderateDays: 2, moderateMinutesPerDay: 30, walkingDays: 3, walkingMinutesPerDay: 30 },
      { walking: 297, moderate: 240, vigorous: 0, total: 537 },
      'moderate',
    ],
    [
      // Moderate (c) only: 2 vigorous + 3 moderate = 5 days; 8 × 25 × 2 = 400 + 4 × 20 × 3 = 240 = 640 ≥ 600.
      // Not (a): vigorous on 2 days. Not (b): moderate 20 minutes a day is under 30.
      'moderate by (c): 5+ days, 600+',
      { vigorousDays: 2, vigorousMinutesPerDay: 25, moderateDays: 3, moderateMinutesPerDay: 20 },
      { walking: 0, moderate: 240, vigorous: 400, total: 640 },
      'moderate',
    ],
    [
      // 8 × 25 × 2 = 400 + 4 × 25 × 2 = 200 = 600, but on 4 days: short of (c).
      'just under moderate (c) on days',
      { vigorousDays: 2, vigorousMinutesPerDay: 25, moderateDays: 2, moderateMinutesPerDay: 25 },
      { walking: 0, moderate: 200, vigorous: 400, total: 600 },
      'low',
    ],
    [
      // 5 days, but 8 × 25 × 2 = 400 + 4 × 16 × 3 = 192 = 592 < 600: short of (c).
      'just under moderate (c) on MET-minutes',
      { vigorousDays: 2, vigorousMinutesPerDay: 25, moderateDays: 3, moderateMinutesPerDay: 16 },
      { walking: 0, moderate: 192, vigorous: 400, total: 592 },
      'low',
    ],
    [
      // 4 days of 30-minute walks: 396, 4 days. No rule is met.
      'low',
      { walkingDays: 4, walkingMinutesPerDay: 30 },
      { walking: 396, moderate: 0, vigorous: 0, total: 396 },
      'low',
    ],
    [
      'nothing at all, with every minutes question skipped',
      {},
      { walking: 0, moderate: 0, vigorous: 0, total: 0 },
      'low',
    ],
    [
      // 3.3 × 10 × 7 = 231: a decimal result reported to 1 decimal.
      'a 10-minute bout, which counts',
      { walkingDays: 7, walkingMinutesPerDay: 10 },
      { walking: 231, moderate: 0, vigorous: 0, total: 231 },
      'low',
    ],
    [
      // 3.3 × 11 × 3 = 108.9.
      'MET-minutes with a decimal',
      { walkingDays: 3, walkingMinutesPerDay: 11 },
      { walking: 108.9, moderate: 0, vigorous: 0, total: 108.9 },
      'low',
    ],
  ])('%s', (_case, given, metMinutesPerWeek, category) => {
    expect(scoreIpaqShort(answers(given))).toEqual({
      status: 'scored',
      metMinutesPerWeek,
      category,
      truncated: [],
      sittingMinutesPerDay: undefined,
    });
  });

  describe('the 10-minute bout rule', () => {
    it.each([
      // The walks are under 10 minutes: they drop out, days and all, leaving 2 active days
      // (4 × 80 × 2 = 640) short of (c)'s 5 days.
      [
        '9-minute walks are ignored',
        9,
        { walking: 0, moderate: 640, vigorous: 0, total: 640 },
        'low',
      ],
      // 10-minute walks count: 3.3 × 10 × 3 = 99, 5 active days, 739 ≥ 600: moderate by (c).
      [
        '10-minute walks count',
        10,
        { walking: 99, moderate: 640, vigorous: 0, total: 739 },
        'moderate',
      ],
    ])('%s', (_case, walkingMinutesPerDay, metMinutesPerWeek, category) => {
      const given = { moderateDays: 2, moderateMinutesPerDay: 80, walkingDays: 3 };
      expect(scoreIpaqShort(answers({ ...given, walkingMinutesPerDay }))).toMatchObject({
        status: 'scored',
        metMinutesPerWeek,
        category,
      });
    });
  });

  describe('truncation and exclusion', () => {
    it('caps 200 minutes a day at 180 and says so', () => {
      // 3.3 × 180 × 7 = 4158, not 3.3 × 200 × 7 = 4620.
      expect(scoreIpaqShort(answers({ walkingDays: 7, walkingMinutesPerDay: 200 }))).toEqual({
        status: 'scored',
        metMinutesPerWeek: { walking: 4158, moderate: 0, vigorous: 0, total: 4158 },
        category: 'high',
        truncated: ['walking'],
        sittingMinutesPerDay: undefined,
      });
    });

    it('leaves exactly 180 minutes alone', () => {
      const result = scoreIpaqShort(answers({ vigorousDays: 1, vigorousMinutesPerDay: 180 }));
      expect(result).toMatchObject({ metMinutesPerWeek: { vigorous: 1440 }, truncated: [] });
    });

    it('excludes more than 16 hours of activity a day, judged before the cap', () => {
      // 300 + 300 + 400 = 1000 minutes > 960, although each capped at 180 would be 540.
      const result = scoreIpaqShort(
        answers({
          walkingDays: 1,
          walkingMinutesPerDay: 300,
          moderateDays: 1,
          moderateMinutesPerDay: 300,
          vigorousDays: 1,
          vigorousMinutesPerDay: 400,
        }),
      );
      expect(result).toEqual({
        status: 'excluded',
        reason: 'more than 16 hours of activity a day',
      });
    });

    it('judges the 16 hours on the minutes as reported, short bouts included (rule 7.2 before 7.3)', () => {
      // 9 + 476 + 476 = 961 minutes as reported: excluded, although the 9 would not count later.
      const result = scoreIpaqShort(
        answers({
          walkingDays: 7,
          walkingMinutesPerDay: 9,
          moderateDays: 1,
          moderateMinutesPerDay: 476,
          vigorousDays: 1,
          vigorousMinutesPerDay: 476,
        }),
      );
      expect(result).toEqual({
        status: 'excluded',
        reason: 'more than 16 hours of activity a day',
      });
    });

    it('keeps exactly 16 hours, then caps each activity', () => {
      // 480 + 480 = 960 is not more than 960. Capped: 4 × 180 × 3 = 2160 and 8 × 180 × 3 = 4320;
      // high by (a) with vigorous on 3 days.
      const result = scoreIpaqShort(
        answers({
          moderateDays: 3,
          moderateMinutesPerDay: 480,
          vigorousDays: 3,
          vigorousMinutesPerDay: 480,
        }),
      );
      expect(result).toEqual({
        status: 'scored',
        metMinutesPerWeek: { walking: 0, moderate: 2160, vigorous: 4320, total: 6480 },
        category: 'high',
        truncated: ['moderate', 'vigorous'],
        sittingMinutesPerDay: undefined,
      });
    });

    it('ignores minutes given for an activity done on 0 days', () => {
      const result = scoreIpaqShort(answers({ walkingDays: 0, walkingMinutesPerDay: 1000 }));
      expect(result).toMatchObject({ status: 'scored', metMinutesPerWeek: { total: 0 } });
    });
  });

  it('passes sitting time through without scoring it', () => {
    const result = scoreIpaqShort(answers({ sittingMinutesPerDay: 480 }));
    expect(result).toMatchObject({ status: 'scored', sittingMinutesPerDay: 480 });
    expect(result).toMatchObject({ metMinutesPerWeek: { total: 0 } });
  });

  describe('blanks', () => {
    it.each([
      ['days 3 with minutes blank', { moderateDays: 3 }, ['moderateMinutesPerDay']],
      ['days blank', { vigorousDays: undefined, vigorousMinutesPerDay: 30 }, ['vigorousDays']],
      [
        'several blanks',
        { walkingDays: undefined, moderateDays: 2, vigorousDays: 1, vigorousMinutesPerDay: 20 },
        ['walkingDays', 'moderateMinutesPerDay'],
      ],
    ])('never treats a blank as 0: %s → incomplete', (_case, given, missing) => {
      expect(scoreIpaqShort(answers(given))).toEqual({ status: 'incomplete', missing });
    });

    it('does not need sitting time to score', () => {
      const result = scoreIpaqShort(answers({ walkingDays: 1, walkingMinutesPerDay: 20 }));
      expect(result.status).toBe('scored');
    });
  });

  it.each([
    ['8 days', { walkingDays: 8, walkingMinutesPerDay: 30 }, 'walkingDays'],
    ['negative days', { moderateDays: -1 }, 'moderateDays'],
    ['fractional days', { vigorousDays: 2.5, vigorousMinutesPerDay: 30 }, 'vigorousDays'],
    ['negative minutes', { walkingDays: 2, walkingMinutesPerDay: -5 }, 'walkingMinutesPerDay'],
    [
      'more minutes than a day has',
      { moderateDays: 1, moderateMinutesPerDay: 1441 },
      'moderateMinutesPerDay',
    ],
    [
      'bad minutes on a 0-day activity',
      { vigorousDays: 0, vigorousMinutesPerDay: -1 },
      'vigorousMinutesPerDay',
    ],
    ['negative sitting time', { sittingMinutesPerDay: -30 }, 'sittingMinutesPerDay'],
  ])('throws a RangeError naming the input for %s', (_case, given, name) => {
    const score = () => scoreIpaqShort(answers(given));
    expect(score).toThrow(RangeError);
    expect(score).toThrow(name);
  });
});
