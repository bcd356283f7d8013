import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { AssessmentEntity } from '../../src/assessments/assessment.entity';
import { IntakeEntity } from '../../src/intakes/intake.entity';
import { PatientEntity } from '../../src/patients/patient.entity';
import { startPatientSession } from './patient-link';
import { Browser } from './test-app';

/** Answers that make several points in more than one pillar (short sleep, heavy drinking). */
export const TYPICAL_ANSWERS = {
  context: { sex: 'male', ageBand: '40-49' },
  diet: {
    auditFrequency: 4,
    auditTypicalDrinks: 2,
    auditSixOrMore: 3,
    vegetableFruitServingsPerDay: 2,
  },
  exercise: { resistanceDaysPerWeek: 3, resistanceMinutesPerSession: 45 },
  sleep: { hoursAsleep: 5.5, screensLastHour: 'most_nights' },
};

export interface SubmittedIntake {
  readonly intake: IntakeEntity;
  readonly assessment: AssessmentEntity;
}

/**
 * Through the real HTTP stack: the clinician invites the patient, the patient
 * opens the link, answers and submits (protocol TRT). Returns the stored intake and assessment.
 */
export async function submitIntake(
  server: Server,
  dataSource: DataSource,
  clinician: Browser,
  patient: PatientEntity,
  answers: Record<string, unknown> = TYPICAL_ANSWERS,
): Promise<SubmittedIntake> {
  const { invitation, client, token } = await startPatientSession(server, clinician, patient);
  const saved = await client.agent
    .put('/api/intake/answers')
    .set('X-CSRF-Token', token)
    .send(answers);
  const submitted = await client.agent.post('/api/intake/submit').set('X-CSRF-Token', token);
  if (saved.status !== 200 || submitted.status !== 201) {
    throw new Error(`Setup failed: save ${saved.status}, submit ${submitted.status}`);
  }
  const intake = await dataSource
    .getRepository(IntakeEntity)
    .findOneByOrFail({ invitationId: invitation.id });
  const assessment = await dataSource
    .getRepository(AssessmentEntity)
    .findOneByOrFail({ intakeId: intake.id });
  return { intake, assessment };
}
