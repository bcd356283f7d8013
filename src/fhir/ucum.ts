import type { Coding } from '@medplum/fhirtypes';

const UCUM = 'http://unitsofmeasure.org';

/**
 * The product's units, as the questionnaire writes them, in UCUM. A count of
 * servings has no UCUM unit, so it is an annotation (`{servings}`), which
 * UCUM reads as 1. A unit missing here fails the mapping that meets it, in
 * the tests, before an EHR sees a guess.
 */
const UCUM_CODES: ReadonlyMap<string, string> = new Map([
  ['cm', 'cm'],
  ['kg', 'kg'],
  ['days', 'd'],
  ['days a week', 'd/wk'],
  ['hours', 'h'],
  ['hours a day', 'h/d'],
  ['hours a week', 'h/wk'],
  ['minutes', 'min'],
  ['minutes a day', 'min/d'],
  ['servings a day', '{servings}/d'],
  ['servings a week', '{servings}/wk'],
]);

/** The UCUM coding of a product unit, displayed as the product writes it. */
export function ucumCoding(unit: string): Coding {
  const code = UCUM_CODES.get(unit);
  if (code === undefined) throw new Error(`No UCUM code for the unit "${unit}"`);
  return { system: UCUM, code, display: unit };
}
