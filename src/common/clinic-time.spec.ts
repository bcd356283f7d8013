import { ClinicTime, isTimeZone } from './clinic-time';

describe('ClinicTime', () => {
  const at = new Date('2026-12-06T23:30:15Z');

  it('shows times in the clinic’s zone, not the server’s', () => {
    const berlin = new ClinicTime('Europe/Berlin');
    expect(berlin.day(at)).toBe('2026-12-07'); // already the next day there
    expect(berlin.minute(at)).toBe('2026-12-07 00:30');
    expect(berlin.second(at.toISOString())).toBe('2026-12-07 00:30:15');
    expect(new ClinicTime('America/New_York').minute(at)).toBe('2026-12-06 18:30');
    expect(new ClinicTime('UTC').minute(at)).toBe('2026-12-06 23:30');
  });

  it('finds when a day begins in the zone, across a change of offset', () => {
    expect(new ClinicTime('UTC').startOf('2026-12-06').toISOString()).toBe(
      '2026-12-06T00:00:00.000Z',
    );
    expect(new ClinicTime('Europe/Berlin').startOf('2026-12-06').toISOString()).toBe(
      '2026-12-05T23:00:00.000Z',
    );
    expect(new ClinicTime('America/New_York').startOf('2026-03-08').toISOString()).toBe(
      '2026-03-08T05:00:00.000Z', // the day clocks go forward, at 02:00
    );
    expect(new ClinicTime('America/New_York').startOf('2026-03-09').toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
  });

  it('writes an instant in ISO 8601 with the zone’s offset of that moment', () => {
    expect(new ClinicTime('Europe/Berlin').iso(at)).toBe('2026-12-07T00:30:15+01:00');
    expect(new ClinicTime('Europe/Berlin').iso(new Date('2026-07-01T10:00:00.999Z'))).toBe(
      '2026-07-01T12:00:00+02:00',
    );
    expect(new ClinicTime('America/New_York').iso(at)).toBe('2026-12-06T18:30:15-05:00');
    expect(new ClinicTime('Asia/Kolkata').iso(at)).toBe('2026-12-07T05:00:15+05:30');
    expect(new ClinicTime('UTC').iso(at)).toBe('2026-12-06T23:30:15+00:00');
  });

  it('says nothing for no date', () => {
    expect(new ClinicTime('UTC').day(null)).toBeUndefined();
    expect(new ClinicTime('UTC').minute(undefined)).toBeUndefined();
  });

  it('knows a time zone from a typo', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Berlln')).toBe(false);
  });
});
