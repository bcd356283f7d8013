/** One instrument's result as a clinician reads it: the figure and what it means. */
export interface ScoreRow {
  readonly instrument: string;
  readonly value: string;
  readonly band: string;
}

const PSS_BANDS = { low: 'Low stress (0-13)', moderate: 'Moderate (14-26)', high: 'High (27-40)' };
const IPAQ_CATEGORIES = {
  low: 'Low activity',
  moderate: 'Moderate activity',
  high: 'High activity',
};
const WHO_AEROBIC = {
  below: 'Below 150 min a week',
  met: 'Meets 150-299 min',
  upper: 'more than 300 min',
  unknown: 'Not enough answers',
};
const WHO_STRENGTH = {
  below: 'Below 2 days a week',
  met: 'Meets 2 days or more',
  unknown: 'Not answered',
};

const BMI_BANDS = {
  underweight: 'Underweight (under 18.5, WHO)',
  normal: 'Normal range (18.5-24.9, WHO)',
  overweight: 'Overweight (25-29.9, WHO)',
  obese: 'Obese (30 or more, WHO)',
};

const hours = (value: number): string => `${Math.round(value * 10) / 10} h`;

/**
 * The stored scores of an intake, one row per instrument, for the review page.
 * An instrument the patient did not answer fully says so; it never shows 0.
 */
export function scoreSummary(scores: Readonly<Record<string, unknown>> | null): ScoreRow[] {
  const at = (path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>(
        (value, key) =>
          value !== null && typeof value === 'object'
            ? (value as Record<string, unknown>)[key]
            : undefined,
        scores ?? {},
      );
  const status = (name: string): unknown => at(`${name}.status`);
  const number = (path: string): number | undefined => {
    const value = at(path);
    return typeof value === 'number' ? value : undefined;
  };
  const text = (path: string): string | undefined => {
    const value = at(path);
    return typeof value === 'string' ? value : undefined;
  };
  const notScored = (instrument: string, reason = 'Not scored: some answers were left blank') => ({
    instrument,
    value: '—',
    band: reason,
  });
  const rows: ScoreRow[] = [];

  if (status('pss10') === 'scored') {
    const band = text('pss10.band') as keyof typeof PSS_BANDS;
    rows.push({
      instrument: 'PSS-10 (perceived stress)',
      value: `${number('pss10.total')} of 40`,
      band: PSS_BANDS[band] ?? band,
    });
  } else rows.push(notScored('PSS-10 (perceived stress)'));

  if (status('auditC') === 'scored') {
    const positive = at('auditC.positive') === true;
    const basis = text('auditC.thresholdBasis');
    const cutOff = `cut-off ${number('auditC.threshold')}${basis === 'unspecified-used-lower' ? ', the lower one: sex not given' : ''}`;
    rows.push({
      instrument: 'AUDIT-C (alcohol)',
      value: `${number('auditC.total')} of 12`,
      band: `${positive ? 'Screen positive' : 'Screen negative'} (${cutOff})`,
    });
  } else rows.push(notScored('AUDIT-C (alcohol)'));

  const ipaq = status('ipaqShort');
  if (ipaq === 'scored') {
    const category = text('ipaqShort.category') as keyof typeof IPAQ_CATEGORIES;
    rows.push({
      instrument: 'IPAQ short (physical activity)',
      value: `${Math.round(number('ipaqShort.metMinutesPerWeek.total') ?? 0)} MET-min a week`,
      band: IPAQ_CATEGORIES[category] ?? category,
    });
  } else {
    rows.push(
      notScored(
        'IPAQ short (physical activity)',
        ipaq === 'excluded' ? 'Excluded: more than 16 hours of activity a day' : undefined,
      ),
    );
  }

  if (status('who2020') === 'scored') {
    const aerobic = text('who2020.aerobic') as keyof typeof WHO_AEROBIC;
    const strength = text('who2020.strength') as keyof typeof WHO_STRENGTH;
    rows.push({
      instrument: 'WHO 2020 activity targets',
      value: `Aerobic: ${WHO_AEROBIC[aerobic] ?? aerobic}`,
      band: `Strength: ${WHO_STRENGTH[strength] ?? strength}`,
    });
  } else rows.push(notScored('WHO 2020 activity targets'));

  if (status('sleepSchedule') === 'scored') {
    const average = number('sleepSchedule.averageHours');
    const jetLag = number('sleepSchedule.socialJetLagHours');
    rows.push({
      instrument: 'Sleep schedule (bed and wake times)',
      value: average === undefined ? '—' : `${hours(average)} a night on average`,
      band: `${at('sleepSchedule.meetsSevenHours') === true ? 'Meets 7 hours (AASM/SRS)' : 'Under 7 hours (AASM/SRS)'}${jetLag === undefined ? '' : `; weekend shift ${hours(jetLag)}`}`,
    });
  } else rows.push(notScored('Sleep schedule (bed and wake times)'));

  // Intakes on questionnaire 2026-11.1 were never asked: no row rather than a blank one.
  const bmi = status('bmi');
  if (bmi === 'scored') {
    const band = text('bmi.band') as keyof typeof BMI_BANDS;
    rows.push({
      instrument: 'Body-mass index',
      value: `${number('bmi.value')} kg/m²`,
      band: BMI_BANDS[band] ?? band,
    });
  } else if (bmi === 'incomplete') {
    rows.push(notScored('Body-mass index', 'Not worked out: height or weight left blank'));
  }
  return rows;
}
