import { Answers } from '../content/schema/questionnaire.schema';
import { scoreIntake } from '../intake/scoring';
import { scoreSummary } from './score-summary';

const stored = (answers: Answers) =>
  JSON.parse(JSON.stringify(scoreIntake(answers))) as Record<string, unknown>;

describe('scoreSummary', () => {
  it('shows each scored instrument with its figure and band', () => {
    const rows = scoreSummary(
      stored({
        sex: 'male',
        auditFrequency: 4,
        auditTypicalDrinks: 2,
        auditSixOrMore: 3,
        ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`pss${i + 1}`, 3])),
        weekdayBedtime: '23:30',
        weekdayWakeTime: '05:30',
      }),
    );
    expect(rows.find((r) => r.instrument.startsWith('AUDIT-C'))).toEqual({
      instrument: 'AUDIT-C (alcohol)',
      value: '9 of 12',
      band: 'Screen positive (cut-off 4)',
    });
    expect(rows.find((r) => r.instrument.startsWith('PSS-10'))?.value).toMatch(/ of 40$/);
    expect(rows.find((r) => r.instrument.startsWith('Sleep'))).toMatchObject({
      value: '6 h a night on average',
      band: 'Under 7 hours (AASM/SRS)',
    });
  });

  it('says an instrument was not scored, never showing 0, when answers are missing', () => {
    const rows = scoreSummary(stored({}));
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.value).toBe('—');
      expect(row.band).toMatch(/^Not (scored|worked out)/);
    }
    expect(scoreSummary(null)).toHaveLength(5);
  });

  it('shows the body-mass index with its WHO band, and no row for intakes never asked', () => {
    const rows = scoreSummary(stored({ heightCm: 165, weightKg: 82 }));
    expect(rows.find((r) => r.instrument === 'Body-mass index')).toEqual({
      instrument: 'Body-mass index',
      value: '30.1 kg/m²',
      band: 'Obese (30 or more, WHO)',
    });
    // Scores stored before questionnaire 2026-12.1 have no bmi at all.
    const older = stored({});
    delete older.bmi;
    expect(scoreSummary(older).map((r) => r.instrument)).not.toContain('Body-mass index');
  });

  it('names the lower AUDIT-C cut-off when sex was not given', () => {
    const rows = scoreSummary(
      stored({ auditFrequency: 1, auditTypicalDrinks: 0, auditSixOrMore: 0 }),
    );
    expect(rows.find((r) => r.instrument.startsWith('AUDIT-C'))?.band).toBe(
      'Screen negative (cut-off 3, the lower one: sex not given)',
    );
  });
});
