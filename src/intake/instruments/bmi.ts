import { Incomplete } from './input-checks';

/** The WHO adult bands: under 18.5, 18.5-24.9, 25-29.9, 30 and over. */
export type BmiBand = 'underweight' | 'normal' | 'overweight' | 'obese';

export interface BmiScored {
  readonly status: 'scored';
  /** kg/m², to one decimal. */
  readonly value: number;
  readonly band: BmiBand;
}

export type BmiResult = BmiScored | Incomplete;

export interface BmiAnswers {
  readonly heightCm: number | undefined;
  readonly weightKg: number | undefined;
}

/**
 * Body-mass index from height and weight. Both are needed; a blank leaves it
 * incomplete, never guessed. The band is read from the unrounded value, so
 * 29.96 is "overweight" although it prints as 30.0; one decimal is what a
 * clinician reads, the band is what a rule reads.
 */
export function scoreBmi({ heightCm, weightKg }: BmiAnswers): BmiResult {
  const missing = [
    ...(heightCm === undefined ? ['heightCm'] : []),
    ...(weightKg === undefined ? ['weightKg'] : []),
  ];
  if (heightCm === undefined || weightKg === undefined) return { status: 'incomplete', missing };
  if (!(heightCm > 0) || !(weightKg > 0)) {
    throw new RangeError(`height and weight must be positive (got ${heightCm}, ${weightKg})`);
  }
  const exact = (weightKg * 10_000) / (heightCm * heightCm);
  return { status: 'scored', value: Math.round(exact * 10) / 10, band: bmiBand(exact) };
}

export function bmiBand(value: number): BmiBand {
  if (value < 18.5) return 'underweight';
  if (value < 25) return 'normal';
  if (value < 30) return 'overweight';
  return 'obese';
}
