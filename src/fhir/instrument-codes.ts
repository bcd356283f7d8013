import type { ScorePathId } from '../content/score-paths';
import type { LicencedInstrument } from '../intake/instruments';

export const LOINC = 'http://loinc.org';

export interface LoincCode {
  readonly code: string;
  readonly display: string;
}

/** How one instrument's headline number becomes an Observation. */
export interface InstrumentCode {
  /** The score it carries: its path in the stored scores, and its code in the product's system. */
  readonly score: ScorePathId;
  /** The Observation's id is the intake's id, a dash, and this. */
  readonly slug: string;
  /** The LOINC term for exactly this number, checked against its published definition; else null. */
  readonly loinc: LoincCode | null;
  /** Why this LOINC term (and where it was checked), or why there is none. */
  readonly reason: string;
  /**
   * What the EHR shows for it, when the product's label would mislead there
   * (a number worked out from what the patient said, not measured).
   */
  readonly text?: string;
  /** How the number was made, when it is not a score of answers. */
  readonly method?: string;
}

/**
 * Every instrument the product scores (src/intake/instruments/licences.ts),
 * keyed so that a new one does not compile until it is given a row here. A
 * LOINC code is used only where its published meaning is this very number;
 * everything else carries the product's own code alone, with its label.
 */
export const INSTRUMENT_CODES: Readonly<Record<LicencedInstrument, InstrumentCode>> = {
  pss10: {
    score: 'pss10.total',
    slug: 'pss10',
    loinc: { code: '106860-0', display: 'Perceived stress scale-10 total score [PSS-10]' },
    reason:
      'LOINC 106860-0 is the PSS-10 total over the last month, items 4, 5, 7 and 8 reversed, ' +
      'as the product scores it (LOINC table as published by autoicdapi.com/loinc/106860-0).',
  },
  auditC: {
    score: 'auditC.total',
    slug: 'audit-c',
    loinc: { code: '75626-2', display: 'Total score [AUDIT-C]' },
    reason: 'LOINC 75626-2 is the AUDIT-C total on its 0-12 scale (loinc.org/75626-2).',
  },
  ipaqShort: {
    score: 'ipaqShort.metMinutesPerWeek.total',
    slug: 'ipaq-short',
    loinc: null,
    reason:
      'LOINC has IPAQ walking, moderate and vigorous MET-minute terms (77591-6, 77592-4) but no ' +
      'term for the total could be verified; product code only.',
  },
  sleepSchedule: {
    score: 'sleepSchedule.averageHours',
    slug: 'sleep-schedule',
    loinc: null,
    reason:
      "The product's own calculation (time in bed from usual bed and wake times, weekly " +
      'average), not a sleep duration as LOINC defines one; product code only.',
    text: 'Time in bed (usual bed-to-wake interval), weekly average: not sleep duration',
  },
  who2020: {
    score: 'who2020.aerobicEquivalentMinutes',
    slug: 'who-2020',
    loinc: null,
    reason:
      "The product's comparison with the WHO 2020 targets (moderate minutes plus twice the " +
      'vigorous ones), no published instrument; product code only.',
  },
  bmi: {
    score: 'bmi.value',
    slug: 'bmi',
    loinc: { code: '39156-5', display: 'Body mass index (BMI) [Ratio]' },
    reason:
      'LOINC 39156-5 is body mass index. Filed as a survey result, not a vital sign: it is ' +
      "worked out from the patient's own height and weight, which tend to understate it, and " +
      'must not sit in a vitals trend beside measured values.',
    text: 'BMI from patient-reported height and weight (not measured)',
    method: 'Calculated from patient-reported height and weight',
  },
};
