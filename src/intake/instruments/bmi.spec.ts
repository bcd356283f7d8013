import { bmiBand, scoreBmi } from './bmi';

describe('scoreBmi', () => {
  it('divides weight by the square of height in metres, to one decimal', () => {
    expect(scoreBmi({ heightCm: 175, weightKg: 70 })).toEqual({
      status: 'scored',
      value: 22.9,
      band: 'normal',
    });
    expect(scoreBmi({ heightCm: 160, weightKg: 82.5 })).toMatchObject({
      value: 32.2,
      band: 'obese',
    });
  });

  it('is incomplete, naming the blank, when height or weight is missing', () => {
    expect(scoreBmi({ heightCm: undefined, weightKg: 70 })).toEqual({
      status: 'incomplete',
      missing: ['heightCm'],
    });
    expect(scoreBmi({ heightCm: undefined, weightKg: undefined })).toEqual({
      status: 'incomplete',
      missing: ['heightCm', 'weightKg'],
    });
  });

  it('bands at the WHO cut-offs: 18.5, 25 and 30 start the next band', () => {
    expect([18.49, 18.5, 24.99, 25, 29.99, 30].map(bmiBand)).toEqual([
      'underweight',
      'normal',
      'normal',
      'overweight',
      'overweight',
      'obese',
    ]);
    // 100 kg at 182.6 cm is 29.99...: printed 30.0, but still overweight.
    expect(scoreBmi({ heightCm: 182.6, weightKg: 100 })).toMatchObject({
      value: 30,
      band: 'overweight',
    });
  });
});
