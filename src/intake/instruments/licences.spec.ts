import * as instruments from './index';
import { INSTRUMENT_LICENCES, LicencedInstrument } from './licences';

/** Typed by licence key, so a scorer with no key here fails to compile. */
const SCORERS: Record<LicencedInstrument, unknown> = {
  pss10: instruments.scorePss10,
  auditC: instruments.scoreAuditC,
  ipaqShort: instruments.scoreIpaqShort,
  sleepSchedule: instruments.scoreSleepSchedule,
  who2020: instruments.scoreWho2020,
  bmi: instruments.scoreBmi,
};

describe('INSTRUMENT_LICENCES', () => {
  it('has a licence for every exported scorer, and a scorer for every licence', () => {
    const exportedScorers = Object.entries(instruments)
      .filter(([name, value]) => name.startsWith('score') && typeof value === 'function')
      .map(([, value]) => value);
    expect(exportedScorers).toHaveLength(Object.keys(SCORERS).length);
    expect(Object.values(SCORERS)).toEqual(expect.arrayContaining(exportedScorers));
    expect(Object.keys(INSTRUMENT_LICENCES).sort()).toEqual(Object.keys(SCORERS).sort());
  });

  it('enables nothing by default that needs permission', () => {
    const offending = Object.entries(INSTRUMENT_LICENCES)
      .filter(([, licence]) => licence.needsPermission && licence.enabledByDefault)
      .map(([key]) => key);
    expect(offending).toEqual([]);
  });

  it.each(Object.entries(INSTRUMENT_LICENCES))('%s names its source and terms', (_key, licence) => {
    expect(licence.name.trim()).not.toBe('');
    expect(licence.source.trim()).not.toBe('');
    expect(licence.terms.trim()).not.toBe('');
  });

  it('tells a commercial deployment to confirm the PSS-10 terms', () => {
    expect(INSTRUMENT_LICENCES.pss10.terms).toMatch(/commercial deployment should confirm/i);
  });
});
