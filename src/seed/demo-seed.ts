import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { PointReviewEntity } from '../assessments/point-review.entity';
import { PasswordHasher } from '../auth/password-hasher';
import { ClinicEntity } from '../clinics/clinic.entity';
import { hashToken, newToken } from '../common/tokens';
import { scoreIntake } from '../intake/scoring';
import { IntakeEntity } from '../intakes/intake.entity';
import { InvitationEntity } from '../invitations/invitation.entity';
import { PatientEntity } from '../patients/patient.entity';
import { evaluate } from '../rules/evaluate';
import { KnowledgeBase } from '../content/check-knowledge-base';
import { UserEntity, UserRole } from '../users/user.entity';
import { DEMO_PATIENTS, DemoIntake } from './demo-intakes';
import { loadContent } from '../content/content';

export const DEMO_CLINIC_NAME = 'Demo Hormone Clinic';

export interface DemoLogin {
  readonly role: UserRole;
  readonly email: string;
  readonly password: string;
}

const DEMO_USERS: readonly { role: UserRole; email: string; displayName: string }[] = [
  { role: 'clinician', email: 'clinician@demo.clinic.test', displayName: 'Dr Demo Clinician' },
  { role: 'admin', email: 'admin@demo.clinic.test', displayName: 'Demo Admin' },
];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Creates the demo clinic, its two logins with fresh random passwords, and a
 * few patients with intakes (DEMO_PATIENTS: submitted, reviewed, half-done,
 * not invited; four protocols), assessed by the rules as a real submission
 * is, in one transaction. Returns the logins so they can be shown once; only
 * their argon2id hashes are stored. Does nothing (returns undefined) when the
 * demo clinic already exists.
 */
export async function seedDemo(
  dataSource: DataSource,
  hasher: PasswordHasher,
): Promise<DemoLogin[] | undefined> {
  return dataSource.transaction(async (manager) => {
    if (await manager.existsBy(ClinicEntity, { name: DEMO_CLINIC_NAME })) return undefined;
    const clinic = await manager.save(manager.create(ClinicEntity, { name: DEMO_CLINIC_NAME }));
    const logins: DemoLogin[] = [];
    let clinicianId = '';
    for (const user of DEMO_USERS) {
      const password = randomBytes(12).toString('base64url');
      const saved = await manager.save(
        manager.create(UserEntity, {
          ...user,
          clinicId: clinic.id,
          passwordHash: await hasher.hash(password),
          deactivatedAt: null,
          lastSignInAt: null,
        }),
      );
      if (user.role === 'clinician') clinicianId = saved.id;
      logins.push({ role: user.role, email: user.email, password });
    }
    const now = Date.now();
    const knowledge = loadContent().knowledgeBase;
    for (const demo of DEMO_PATIENTS) {
      const firstDay = Math.max(0, ...demo.intakes.map((intake) => intake.daysAgo)) + 7;
      const patient = await manager.save(
        manager.create(PatientEntity, {
          givenName: demo.givenName,
          familyName: demo.familyName,
          reference: demo.reference,
          clinicId: clinic.id,
          createdBy: clinicianId,
          createdAt: new Date(now - firstDay * DAY_MS),
        }),
      );
      for (const intake of demo.intakes) {
        await seedIntake(manager, knowledge, patient, clinicianId, intake, now);
      }
    }
    return logins;
  });
}

/**
 * One demo intake as the product would have stored it: its link (the token
 * is random and never shown: re-issue it to try the patient's side), the
 * answers, and once sent the scores and the rules' assessment; a reviewed one
 * has its first points marked.
 */
async function seedIntake(
  manager: EntityManager,
  knowledge: KnowledgeBase,
  patient: PatientEntity,
  clinicianId: string,
  demo: DemoIntake,
  now: number,
): Promise<void> {
  const invitedAt = new Date(now - demo.daysAgo * DAY_MS);
  const startedAt = new Date(invitedAt.getTime() + 2 * HOUR_MS);
  const submittedAt =
    demo.state === 'in_progress' ? null : new Date(startedAt.getTime() + HOUR_MS / 3);
  const reviewedAt = demo.state === 'reviewed' ? new Date(startedAt.getTime() + 2 * DAY_MS) : null;
  const scope = { clinicId: patient.clinicId };
  const invitation = await manager.save(
    manager.create(InvitationEntity, {
      ...scope,
      patientId: patient.id,
      protocol: demo.protocol,
      tokenHash: hashToken(newToken()),
      expiresAt: new Date(invitedAt.getTime() + 14 * DAY_MS),
      revokedAt: null,
      firstUsedAt: startedAt,
      createdBy: clinicianId,
      createdAt: invitedAt,
    }),
  );
  const scores = submittedAt ? { ...scoreIntake(demo.answers) } : null;
  const intake = await manager.save(
    manager.create(IntakeEntity, {
      ...scope,
      patientId: patient.id,
      invitationId: invitation.id,
      protocol: demo.protocol,
      questionnaireVersion: loadContent().questionnaire.version,
      status: demo.state,
      answers: demo.answers,
      lastStep: lastAnswered(demo.answers),
      scores,
      createdAt: startedAt,
      updatedAt: reviewedAt ?? submittedAt ?? startedAt,
      submittedAt,
      reviewedAt,
      reviewedBy: reviewedAt ? clinicianId : null,
    }),
  );
  if (!submittedAt || !scores) return;
  const result = evaluate(knowledge, {
    questionnaire: loadContent().questionnaire,
    answers: demo.answers,
    scores,
    protocol: demo.protocol,
  });
  const assessment = await manager.save(
    manager.create(AssessmentEntity, {
      ...scope,
      intakeId: intake.id,
      rulesetVersion: result.rulesetVersion,
      results: result as unknown as Record<string, unknown>,
      flaggedPillars: [...result.flaggedPillars],
      createdAt: submittedAt,
    }),
  );
  if (!reviewedAt) return;
  const concerns = result.points.filter((point) => point.kind === 'concern');
  const marks = concerns.slice(0, 3).map((point, i) => ({
    ...scope,
    assessmentId: assessment.id,
    pointId: point.ruleId,
    mark: i === 2 ? ('not_relevant' as const) : ('discussed' as const),
    reason: i === 2 ? 'Already addressed with the patient at the last visit' : null,
    note: null,
    updatedBy: clinicianId,
    updatedAt: reviewedAt,
  }));
  if (marks.length > 0) await manager.insert(PointReviewEntity, marks);
}

/** Whether the database holds no clinic at all (a new install). */
export async function isEmpty(dataSource: DataSource): Promise<boolean> {
  return (await dataSource.getRepository(ClinicEntity).count()) === 0;
}

/** The once-only announcement of the demo logins, for a person at a terminal. */
export function describeLogins(logins: readonly DemoLogin[], baseUrl: string): string {
  const lines = logins.map(
    (login) => `  ${login.role.padEnd(10)} ${login.email}   password: ${login.password}`,
  );
  return [
    '',
    `Demo clinic "${DEMO_CLINIC_NAME}" created. Sign in at ${baseUrl}/sign-in with:`,
    ...lines,
    'These passwords are shown only now; only their hashes are stored.',
    'The clinic requires two-step sign-in: at the first sign-in of each login,',
    'scan the QR code shown with an authenticator app on your phone (or type the',
    'key shown under it) and enter the six digits it gives; keep the ten recovery',
    'codes shown next. An admin can turn the requirement off in Clinic settings.',
    '',
  ].join('\n');
}

/** The last step with an answer: where the demo patient would have stopped. */
function lastAnswered(answers: DemoIntake['answers']): string {
  const answered = loadContent().questionnaire.sections.filter((section) =>
    section.questions.some((question) => answers[question.id] !== undefined),
  );
  return (answered.at(-1) ?? loadContent().questionnaire.sections[0]).id;
}
