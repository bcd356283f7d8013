import { readScore } from '../content/score-paths';
import { INSTRUMENT_LICENCES, LicencedInstrument } from '../intake/instruments';
import { scoreIntake } from '../intake/scoring';
import { EARLIER_VERSION_CASE, FHIR_CASES } from '../../test/support/fhir-intakes';
import { fhirBase } from './fhir-base';
import { INSTRUMENT_CODES } from './instrument-codes';
import { mapObservations, ScoredIntake } from './observation.mapper';

const base = fhirBase('https://clinic.example/fhir');
const instruments = Object.keys(INSTRUMENT_LICENCES) as LicencedInstrument[];

/** LOINC's Mod 10 check digit (the digit after the dash), from the digits before it. */
function loincCheckDigit(digits: string): number {
  const sum = [...digits]
    .reverse()
    .map((digit, i) => (i % 2 === 0 ? 2 * Number(digit) : Number(digit)))
    .reduce((total, n) => total + Math.floor(n / 10) + (n % 10), 0);
  return (10 - (sum % 10)) % 10;
}

describe('INSTRUMENT_CODES', () => {
  it('has a row for every instrument the product scores', () => {
    expect(Object.keys(INSTRUMENT_CODES).sort()).toEqual([...instruments].sort());
  });

  it('uses only the LOINC codes checked against their published meaning', () => {
    const loinc = Object.fromEntries(instruments.map((i) => [i, INSTRUMENT_CODES[i].loinc?.code]));
    expect(loinc).toEqual({
      pss10: '106860-0',
      auditC: '75626-2',
      bmi: '39156-5',
      ipaqShort: undefined,
      sleepSchedule: undefined,
      who2020: undefined,
    });
    for (const code of Object.values(loinc).filter((c) => c !== undefined)) {
      const [digits, check] = code.split('-');
      expect({ code, check: loincCheckDigit(digits) }).toEqual({ code, check: Number(check) });
    }
  });

  it('says why for every instrument, and gives each Observation its own id', () => {
    for (const instrument of instruments) expect(INSTRUMENT_CODES[instrument].reason).not.toBe('');
    const slugs = instruments.map((i) => INSTRUMENT_CODES[i].slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });
});

describe('mapObservations', () => {
  it.each(FHIR_CASES.map((c) => [c.persona, c] as const))(
    'gives %s one final survey Observation per instrument scored, with its stored value',
    (_name, { intake }) => {
      const observations = mapObservations(base, intake);
      const scored = instruments.filter(
        (i) => readScore(intake.scores, INSTRUMENT_CODES[i].score) !== undefined,
      );
      expect(observations.map((o) => o.id)).toEqual(
        scored.map((i) => `${intake.id}-${INSTRUMENT_CODES[i].slug}`),
      );
      for (const [index, observation] of observations.entries()) {
        const code = INSTRUMENT_CODES[scored[index]];
        expect(observation).toEqual(
          expect.objectContaining({
            status: 'final',
            subject: { reference: `Patient/${intake.patientId}` },
            effectiveDateTime: intake.submittedAt?.toISOString(),
            derivedFrom: [{ reference: `QuestionnaireResponse/${intake.id}` }],
          }),
        );
        expect(observation.category?.map((c) => c.coding?.[0].code)).toContain('survey');
        expect(observation.code.coding?.map((c) => [c.system, c.code])).toEqual([
          ...(code.loinc ? [['http://loinc.org', code.loinc.code]] : []),
          ['https://clinic.example/fhir/CodeSystem/instrument-score', code.score],
        ]);
        expect(observation.valueInteger ?? observation.valueQuantity?.value).toBe(
          readScore(intake.scores, code.score),
        );
      }
    },
  );

  it('writes totals as integers, and measures with their UCUM unit', () => {
    const observations = mapObservations(base, FHIR_CASES[0].intake);
    const byId = (slug: string) => observations.find((o) => o.id?.endsWith(`-${slug}`));
    expect(byId('pss10')?.valueInteger).toEqual(expect.any(Number));
    expect(byId('audit-c')?.valueInteger).toEqual(expect.any(Number));
    expect(byId('bmi')?.valueQuantity).toEqual(
      expect.objectContaining({
        unit: 'kg/m²',
        system: 'http://unitsofmeasure.org',
        code: 'kg/m2',
      }),
    );
    expect(byId('ipaq-short')?.valueQuantity).toEqual(
      expect.objectContaining({ unit: 'MET-min/week', code: '{MET-min}/wk' }),
    );
  });

  it('files the BMI as a patient-reported survey result, never as a measured vital sign', () => {
    const { intake } = FHIR_CASES[0];
    const bmi = mapObservations(base, intake).find((o) => o.id?.endsWith('-bmi'));
    expect(bmi?.meta).toBeUndefined();
    expect(bmi?.category?.map((c) => c.coding?.[0].code)).toEqual(['survey']);
    expect(bmi?.code.text).toBe('BMI from patient-reported height and weight (not measured)');
    expect(bmi?.method?.text).toBe('Calculated from patient-reported height and weight');
  });

  it('names the patient as the source of every number, and says what the sleep figure is', () => {
    const { intake } = FHIR_CASES[0];
    const observations = mapObservations(base, intake);
    for (const observation of observations) {
      expect(observation.performer).toEqual([{ reference: `Patient/${intake.patientId}` }]);
      expect(observation.issued).toBe(intake.submittedAt!.toISOString());
    }
    const sleep = observations.find((o) => o.id?.endsWith('-sleep-schedule'));
    expect(sleep?.code.text).toMatch(/^Time in bed .*: not sleep duration$/);
  });

  it('has no Observation for an instrument left incomplete or excluded: no number is guessed', () => {
    const answers = {
      // PSS-10 half answered; more than 16 hours of activity a day, which IPAQ excludes.
      pss1: 2,
      pss2: 3,
      vigorousDays: 3,
      vigorousMinutesPerDay: 600,
      moderateDays: 3,
      moderateMinutesPerDay: 400,
      walkingDays: 0,
      auditFrequency: 0,
    };
    const intake: ScoredIntake = {
      ...FHIR_CASES[0].intake,
      scores: JSON.parse(JSON.stringify(scoreIntake(answers))) as Record<string, unknown>,
    };
    expect(mapObservations(base, intake).map((o) => o.id?.slice(intake.id.length + 1))).toEqual([
      'audit-c',
      'who-2020',
    ]);
  });

  it('reads the scores as stored: an intake stored before BMI was scored has no BMI', () => {
    const slugs = mapObservations(base, EARLIER_VERSION_CASE.intake).map((o) =>
      o.id?.slice(EARLIER_VERSION_CASE.intake.id.length + 1),
    );
    expect(slugs).toContain('pss10');
    expect(slugs).not.toContain('bmi');
  });

  it('refuses an intake not yet submitted', () => {
    const intake = { ...FHIR_CASES[0].intake, submittedAt: null, scores: null };
    expect(() => mapObservations(base, intake)).toThrow(/has not been submitted/);
  });
});
