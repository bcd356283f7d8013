import { Pool } from 'pg';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { HttpClient } from '../../test/support/http-client';

/**
 * A clinic with one clinician, straight into the database, and that
 * clinician signed in through the service: the start of every load section.
 */
export async function benchClinician(
  db: Pool,
  baseUrl: string,
): Promise<{ clinician: HttpClient; csrf: string }> {
  const email = 'bench@clinic.test';
  const password = 'bench password, long enough';
  const [{ id: clinicId }] = (
    await db.query<{ id: string }>(
      `INSERT INTO clinics (name, mfa_required) VALUES ('Bench', false) RETURNING id`,
    )
  ).rows;
  await db.query(
    `INSERT INTO users (clinic_id, email, display_name, role, password_hash) VALUES ($1, $2, 'Bench', 'clinician', $3)`,
    [clinicId, email, await new PasswordHasher().hash(password)],
  );
  const clinician = new HttpClient(baseUrl);
  await clinician.signIn(email, password);
  return { clinician, csrf: await clinician.csrf('/') };
}
