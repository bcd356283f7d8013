import { quantity } from './quantity';

describe('quantity', () => {
  it.each([
    [1, 'days a week', '1 day a week'],
    [2, 'days a week', '2 days a week'],
    [0, 'servings a day', '0 servings a day'],
    [1, 'servings a day', '1 serving a day'],
    [1, 'hours', '1 hour'],
    [1.5, 'hours', '1.5 hours'],
    ['1', 'minutes', '1 minute'],
    [1, 'MET-min/week', '1 MET-min/week'],
  ])('%s %s reads "%s"', (value, unit, expected) => {
    expect(quantity(value, unit)).toBe(expected);
  });
});
