import type { CodeableConcept, Observation } from '@medplum/fhirtypes';
import { readScore, SCORE_PATHS } from '../content/score-paths';
import type { LicencedInstrument } from '../intake/instruments';
import type { IntakeEntity } from '../intakes/intake.entity';
import { codeSystemUrl, FhirBase } from './fhir-base';
import { INSTRUMENT_CODES, InstrumentCode, LOINC } from './instrument-codes';
import { ucumCoding } from './ucum';

/** What the mapping reads of a submitted intake. */
export type ScoredIntake = Pick<IntakeEntity, 'id' | 'patientId' | 'scores' | 'submittedAt'>;

const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const SURVEY: CodeableConcept = {
  coding: [{ system: CATEGORY, code: 'survey', display: 'Survey' }],
};

/**
 * One final Observation per instrument the intake's stored scores hold a
 * number for (INSTRUMENT_CODES), derived from the intake's
 * QuestionnaireResponse and effective when it was submitted. An instrument
 * left incomplete or excluded has no Observation: no number is guessed. The
 * scores are the ones stored at submission, not scored again, so an older
 * intake without an instrument simply has no Observation for it.
 */
export function mapObservations(base: FhirBase, intake: ScoredIntake): Observation[] {
  const { submittedAt, scores } = intake;
  if (!submittedAt || !scores) throw new Error(`Intake ${intake.id} has not been submitted`);
  return (Object.keys(INSTRUMENT_CODES) as LicencedInstrument[]).flatMap((instrument) => {
    const code = INSTRUMENT_CODES[instrument];
    const value = readScore(scores, code.score);
    if (value === undefined) return [];
    if (typeof value !== 'number')
      throw new Error(`Intake ${intake.id}: ${code.score} is no number`);
    return [
      {
        resourceType: 'Observation',
        id: `${intake.id}-${code.slug}`,
        status: 'final',
        category: [SURVEY],
        code: codeOf(base, code),
        subject: { reference: `Patient/${intake.patientId}` },
        effectiveDateTime: submittedAt.toISOString(),
        issued: submittedAt.toISOString(),
        // From the patient's own answers: patient-reported, never measured.
        performer: [{ reference: `Patient/${intake.patientId}` }],
        ...(code.method ? { method: { text: code.method } } : {}),
        derivedFrom: [{ reference: `QuestionnaireResponse/${intake.id}` }],
        ...valueOf(code, value),
      },
    ];
  });
}

function codeOf(base: FhirBase, code: InstrumentCode): CodeableConcept {
  const { label } = SCORE_PATHS[code.score];
  return {
    coding: [
      ...(code.loinc ? [{ system: LOINC, ...code.loinc }] : []),
      { system: codeSystemUrl(base, 'instrument-score'), code: code.score, display: label },
    ],
    text: code.text ?? label,
  };
}

/** A score with a unit is a UCUM quantity; a unitless one is a whole-number total. */
function valueOf(code: InstrumentCode, value: number): Partial<Observation> {
  const path = SCORE_PATHS[code.score];
  if ('unit' in path) {
    const unit = ucumCoding(path.unit);
    return { valueQuantity: { value, unit: path.unit, system: unit.system, code: unit.code } };
  }
  if (!Number.isInteger(value)) throw new Error(`${code.score} is a total, not ${value}`);
  return { valueInteger: value };
}
