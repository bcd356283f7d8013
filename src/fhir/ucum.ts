import type { Coding } from '@medplum/fhirtypes';

const UCUM = 'http://unitsofmeasure.org';

/**
 * The product's units, as the questionnaire and the scores write them, in
 * UCUM. A count of servings or MET-minutes has no UCUM unit, so it is an
 * annotation (`{servings}`), which UCUM reads as 1. A unit missing here
 * fails the mapping that meets it, in the tests, before an EHR sees a guess.
 */
const UCUM_CODES: ReadonlyMap<string, string> = new Map([
  ['cm', 'cm'],
  ['kg', 'kg'],
  ['kg/m²', 'kg/m2'],
  ['days', 'd'],
  ['days a week', 'd/wk'],
  ['hours', 'h'],
  ['hours a day', 'h/d'],
  ['hours a week', 'h/wk'],
  ['minutes', 'min'],
  ['minutes a day', 'min/d'],
  ['minutes a week', 'min/wk'],
  ['MET-min/week', '{MET-min}/wk'],
  ['servings a day', '{servings}/d'],
  ['servings a week', '{servings}/wk'],
]);

/** The UCUM coding of a product unit, displayed as the product writes it. */
export function ucumCoding(unit: string): Coding {
  const code = UCUM_CODES.get(unit);
  if (code === undefined) throw new Error(`No UCUM code for the unit "${unit}"`);
  return { system: UCUM, code, display: unit };
}
