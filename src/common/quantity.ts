/**
 * A number with its unit, the unit's first word singular for exactly one:
 * "1 day a week", "2 days a week", "1 hour", "7.5 hours". Units are written
 * plural in the questionnaire and scores; a unit without a plural first word
 * ("MET-min/week") stays as it is.
 */
export function quantity(value: number | string, unit: string): string {
  const one = Number(value) === 1;
  const [first, ...rest] = unit.split(' ');
  const word = one && /[a-z]s$/.test(first) ? first.slice(0, -1) : first;
  return [String(value), word, ...rest].join(' ');
}
