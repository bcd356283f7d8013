import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../auth/password-hasher';
import { ClinicEntity } from '../clinics/clinic.entity';
import { PatientEntity } from '../patients/patient.entity';
import { UserEntity, UserRole } from '../users/user.entity';

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

const DEMO_PATIENTS: readonly Pick<PatientEntity, 'givenName' | 'familyName' | 'reference'>[] = [
  { givenName: 'Alex', familyName: 'Morgan', reference: 'DEMO-1001' },
  { givenName: 'Jordan', familyName: 'Lee', reference: 'DEMO-1002' },
  { givenName: 'Sam', familyName: 'Okafor', reference: 'DEMO-1003' },
  { givenName: 'Riley', familyName: 'Novak', reference: 'DEMO-1004' },
  { givenName: 'Casey', familyName: 'Haddad', reference: null },
];

/**
 * Creates the demo clinic, its two logins with fresh random passwords, and a
 * few patients, in one transaction. Returns the logins so they can be shown
 * once; only their argon2id hashes are stored. Does nothing (returns
 * undefined) when the demo clinic already exists.
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
    await manager.insert(
      PatientEntity,
      DEMO_PATIENTS.map((patient) => ({ ...patient, clinicId: clinic.id, createdBy: clinicianId })),
    );
    return logins;
  });
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
    '',
  ].join('\n');
}
