import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Protocol } from '../../src/common/protocol';
import { PROJECT_ROOT } from '../../src/config/project-root';
import { loadContent } from '../../src/content/content';
import type { Answers } from '../../src/content/schema/questionnaire.schema';
import type { PatientIdentity } from '../../src/fhir/patient.mapper';
import type { SubmittedIntake } from '../../src/fhir/questionnaire-response.mapper';
import { scoreIntake } from '../../src/intake/scoring';
import { evaluate, type DiscussionPoint } from '../../src/rules/evaluate';
import { DEMO_PATIENTS } from '../../src/seed/demo-intakes';

/*
 * Submitted intakes as the database holds them, built in memory for the FHIR
 * mappers' specs: one per protocol, from the rules' personas
 * (test/fixtures/personas), each for one of the demo clinic's patients. Ids
 * and times are fixed, so what the mappers emit is the same on every run
 * and golden files can hold it.
 */

export const FHIR_BASE_URL = 'https://clinic.example/fhir';
export const KNOWLEDGE_URL = 'https://clinic.example/knowledge';
export const CLINIC_ID = 'c1a1c000-0000-4000-8000-000000000001';

export interface FhirCase {
  readonly protocol: Protocol;
  /** The persona file the answers come from. */
  readonly persona: string;
  readonly patient: PatientIdentity;
  readonly intake: SubmittedIntake & { readonly scores: Record<string, unknown> };
  /** The points the rules give these answers, for CDS cards. */
  readonly points: readonly DiscussionPoint[];
}

/** A persona per protocol, each with follow-up questions hidden or shown by earlier answers. */
const PERSONAS: readonly [Protocol, string][] = [
  // No strength training or vigorous days: their minute questions are hidden. Witnessed apneas.
  ['trt', 'trt-heavy-many-concerns.json'],
  ['female_hormone_therapy', 'female-estradiol-low-fiber-high-stress.json'],
  // The only protocol shown the exercise-timing question.
  ['gh_peptide_therapy', 'peptide-far-apart-heavy.json'],
  // Never drinks: the two AUDIT-C quantity questions are hidden.
  ['post_trt_recovery', 'post-trt-low-carb-endurance-apnea.json'],
  ['other', 'other-protocol.json'],
];

const content = loadContent();

/** One submitted intake per protocol, in the current questionnaire version. */
export const FHIR_CASES: readonly FhirCase[] = PERSONAS.map(([protocol, persona], index) => {
  const { answers } = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'personas', persona), 'utf8'),
  ) as { answers: Answers };
  const demo = DEMO_PATIENTS[index];
  const n = index + 1;
  return buildCase({
    protocol,
    persona,
    patient: {
      id: `9a7e0000-0000-4000-8000-00000000000${n}`,
      clinicId: CLINIC_ID,
      givenName: demo.givenName,
      familyName: demo.familyName,
      reference: demo.reference,
    },
    intakeId: `1a7a0000-0000-4000-8000-00000000000${n}`,
    answers,
    version: content.questionnaire.version,
    submittedAt: new Date(Date.UTC(2026, 10, 20 + n, 9, 30)),
  });
});

/**
 * The first TRT patient's earlier intake, answered in the first questionnaire
 * version (before it asked height, weight and shift work) and stored before
 * BMI was scored, so its scores have no BMI at all.
 */
export const EARLIER_VERSION_CASE: FhirCase = (() => {
  const [later] = FHIR_CASES;
  const dropped = ['heightCm', 'weightKg', 'shiftWork'];
  const earlier = buildCase({
    protocol: later.protocol,
    persona: later.persona,
    patient: later.patient,
    intakeId: '1a7a0000-0000-4000-8000-000000000009',
    answers: Object.fromEntries(
      Object.entries(later.intake.answers).filter(([id]) => !dropped.includes(id)),
    ) as Answers,
    version: content.questionnaires[0].version,
    submittedAt: new Date(Date.UTC(2026, 7, 14, 16, 5)),
  });
  const scores = Object.fromEntries(
    Object.entries(earlier.intake.scores).filter(([instrument]) => instrument !== 'bmi'),
  );
  return { ...earlier, intake: { ...earlier.intake, scores } };
})();

function buildCase(made: {
  readonly protocol: Protocol;
  readonly persona: string;
  readonly patient: PatientIdentity;
  readonly intakeId: string;
  readonly answers: Answers;
  readonly version: string;
  readonly submittedAt: Date;
}): FhirCase {
  const { protocol, answers, version } = made;
  // As stored: JSON, so keys whose value is undefined are gone.
  const scores = JSON.parse(JSON.stringify(scoreIntake(answers))) as Record<string, unknown>;
  return {
    protocol,
    persona: made.persona,
    patient: made.patient,
    intake: {
      id: made.intakeId,
      patientId: made.patient.id,
      protocol,
      questionnaireVersion: version,
      answers: { ...answers },
      scores,
      submittedAt: made.submittedAt,
    },
    points: evaluate(content.knowledgeBase, {
      questionnaire: content.questionnaireVersion(version),
      answers,
      scores,
      protocol,
    }).points,
  };
}
