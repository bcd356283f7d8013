import { scoreSleepSchedule, SleepScheduleAnswers } from './sleep-schedule';

function answers(overrides: Partial<SleepScheduleAnswers>): SleepScheduleAnswers {
  return {
    weekdayBedtime: undefined,
    weekdayWakeTime: undefined,
    weekendBedtime: undefined,
    weekendWakeTime: undefined,
    ...overrides,
  };
}

function weekdayOnly(bed: string, wake: string) {
  return scoreSleepSchedule(answers({ weekdayBedtime: bed, weekdayWakeTime: wake }));
}

describe('scoreSleepSchedule', () => {
  describe('rounding to hundredths of an hour, an exact half up', () => {
    it('reads a midpoint of 00:34:30 (0.575 h) as 0.58, not 0.57', () => {
      // 00:00 → 01:09 is 69 minutes; its midpoint is 34.5 minutes after midnight.
      const result = weekdayOnly('00:00', '01:09');
      expect(result).toMatchObject({ weekday: { durationHours: 1.15, midpoint: 0.58 } });
    });

    it('reads a social jet lag of 34.5 minutes as 0.58 h', () => {
      // Weekday 23:00 → 07:00, midpoint 03:00; weekend 23:00 → 08:09, midpoint 03:34:30.
      const result = scoreSleepSchedule(
        answers({
          weekdayBedtime: '23:00',
          weekdayWakeTime: '07:00',
          weekendBedtime: '23:00',
          weekendWakeTime: '08:09',
        }),
      );
      expect(result).toMatchObject({ socialJetLagHours: 0.58, weekend: { midpoint: 3.58 } });
    });
  });

  describe('one schedule', () => {
    it.each([
      // 23:30 → 24:00 is 0.5 h, then 7 h to 07:00. Midpoint 23:30 + 3.75 h = 03:15.
      ['crossing midnight', '23:30', '07:00', 7.5, 3.25, true],
      // A bedtime after midnight does not cross it: 00:30 → 08:00 = 7.5 h, midpoint 04:15.
      ['bedtime after midnight', '00:30', '08:00', 7.5, 4.25, true],
      // Daytime sleep after a night shift: 08:00 → 14:30 = 6.5 h, midpoint 11:15.
      ['a day sleep that crosses nothing', '08:00', '14:30', 6.5, 11.25, false],
      // Wake earlier on the clock than bed by a minute: 23 h 59 min, midpoint 22:00 + 11:59.5 = 09:59.5.
      ['wake one minute before bedtime', '22:00', '21:59', 23.98, 9.99, true],
      // 21:00 → 05:20 = 8 h 20 min; midpoint 21:00 + 4 h 10 min = 01:10 (1.1666 h).
      ['a midpoint just after midnight', '21:00', '05:20', 8.33, 1.17, true],
      // 6 h 59 min, rounded to 2 decimals.
      ['6 h 59 min', '23:01', '06:00', 6.98, 2.51, false],
      ['exactly 7 h', '23:00', '06:00', 7, 2.5, true],
    ])('%s: %s → %s', (_case, bed, wake, durationHours, midpoint, meetsSevenHours) => {
      const result = weekdayOnly(bed, wake);
      expect(result).toEqual({
        status: 'scored',
        weekday: { durationHours, midpoint, implausible: durationHours > 16 },
        weekend: undefined,
        averageHours: durationHours,
        socialJetLagHours: undefined,
        bedtimeShiftHours: undefined,
        meetsSevenHours,
      });
    });

    it.each([
      // 16 h is the last plausible duration; 16 h 1 min is flagged but still scored.
      ['06:00', '22:00', 16, false],
      ['06:00', '22:01', 16.02, true],
    ])('%s → %s flags implausible: %s', (bed, wake, durationHours, implausible) => {
      expect(weekdayOnly(bed, wake)).toMatchObject({
        status: 'scored',
        weekday: { durationHours, implausible },
      });
    });
  });

  describe('weekday and weekend', () => {
    it.each([
      [
        // Weekday 23:00-07:00: 8 h, midpoint 03:00. Weekend lie-in 01:00-10:00: 9 h, midpoint 05:30.
        // Average (5 × 8 + 2 × 9) / 7 = 58 / 7 = 8.2857. Jet lag 5.5 − 3 = 2.5 h; bedtime 2 h later.
        'a weekend lie-in',
        ['23:00', '07:00', '01:00', '10:00'],
        { durationHours: 8, midpoint: 3, implausible: false },
        { durationHours: 9, midpoint: 5.5, implausible: false },
        8.29,
        2.5,
        2,
        true,
      ],
      [
        // Weekday 20:00-03:00: 7 h, midpoint 23:30. Weekend 21:00-04:00: 7 h, midpoint 00:30.
        // The midpoints are 1 h apart across midnight, not 23 h.
        'midpoints either side of midnight',
        ['20:00', '03:00', '21:00', '04:00'],
        { durationHours: 7, midpoint: 23.5, implausible: false },
        { durationHours: 7, midpoint: 0.5, implausible: false },
        7,
        1,
        1,
        true,
      ],
      [
        // Bedtimes 22:30 and 02:00 are 3.5 h apart going forward through midnight.
        // Weekday 22:30-06:30: 8 h, midpoint 02:30. Weekend 02:00-11:00: 9 h, midpoint 06:30.
        'a bedtime shift across midnight',
        ['22:30', '06:30', '02:00', '11:00'],
        { durationHours: 8, midpoint: 2.5, implausible: false },
        { durationHours: 9, midpoint: 6.5, implausible: false },
        8.29,
        4,
        3.5,
        true,
      ],
      [
        // 6 h 59 min every night: the average is 6.98 h, under 7.
        'an average of 6 h 59 min',
        ['23:01', '06:00', '23:31', '06:30'],
        { durationHours: 6.98, midpoint: 2.51, implausible: false },
        { durationHours: 6.98, midpoint: 3.01, implausible: false },
        6.98,
        0.5,
        0.5,
        false,
      ],
      [
        // Weekday 7 h, weekend 6 h 59 min: (5 × 420 + 2 × 419) / 7 = 419.71 min = 6.995 h.
        // It rounds to 7.00 for display, but the unrounded average is below 7 hours.
        'an average that only rounds up to 7 h',
        ['23:00', '06:00', '23:01', '06:00'],
        { durationHours: 7, midpoint: 2.5, implausible: false },
        { durationHours: 6.98, midpoint: 2.51, implausible: false },
        7,
        0.01,
        0.02,
        false,
      ],
    ])(
      '%s',
      (
        _case,
        [weekdayBedtime, weekdayWakeTime, weekendBedtime, weekendWakeTime],
        weekday,
        weekend,
        averageHours,
        socialJetLagHours,
        bedtimeShiftHours,
        meetsSevenHours,
      ) => {
        const result = scoreSleepSchedule({
          weekdayBedtime,
          weekdayWakeTime,
          weekendBedtime,
          weekendWakeTime,
        });
        expect(result).toEqual({
          status: 'scored',
          weekday,
          weekend,
          averageHours,
          socialJetLagHours,
          bedtimeShiftHours,
          meetsSevenHours,
        });
      },
    );
  });

  describe('blanks', () => {
    it.each([
      ['no answers', {}, ['weekdayBedtime', 'weekdayWakeTime']],
      ['a weekday wake time missing', { weekdayBedtime: '23:00' }, ['weekdayWakeTime']],
      [
        'only the weekend answered',
        { weekendBedtime: '23:00', weekendWakeTime: '08:00' },
        ['weekdayBedtime', 'weekdayWakeTime'],
      ],
      [
        'half a weekend pair',
        { weekdayBedtime: '23:00', weekdayWakeTime: '07:00', weekendWakeTime: '09:00' },
        ['weekendBedtime'],
      ],
    ])('never guesses a time: %s → incomplete', (_case, given, missing) => {
      expect(scoreSleepSchedule(answers(given))).toEqual({ status: 'incomplete', missing });
    });
  });

  describe('impossible input', () => {
    it.each([
      ['weekday', { weekdayBedtime: '22:00', weekdayWakeTime: '22:00' }],
      [
        'weekend',
        {
          weekdayBedtime: '23:00',
          weekdayWakeTime: '07:00',
          weekendBedtime: '00:00',
          weekendWakeTime: '00:00',
        },
      ],
    ])('throws when the %s bedtime equals the wake time', (label, given) => {
      const score = () => scoreSleepSchedule(answers(given));
      expect(score).toThrow(RangeError);
      expect(score).toThrow(`${label}Bedtime and ${label}WakeTime: bedtime equals wake time`);
    });

    it.each([
      ['24:00', 'weekdayBedtime'],
      ['7:00', 'weekdayWakeTime'],
      ['12:60', 'weekendBedtime'],
      ['noon', 'weekendWakeTime'],
      ['07:00 ', 'weekdayWakeTime'],
      ['-1:00', 'weekendBedtime'],
      ['', 'weekdayBedtime'],
    ])('throws a RangeError naming the input for "%s" as %s', (time, name) => {
      const valid: SleepScheduleAnswers = {
        weekdayBedtime: '23:00',
        weekdayWakeTime: '07:00',
        weekendBedtime: '23:00',
        weekendWakeTime: '07:00',
      };
      const score = () => scoreSleepSchedule({ ...valid, [name]: time });
      expect(score).toThrow(RangeError);
      expect(score).toThrow(`${name} must be a 24-hour time`);
    });
  });
});
