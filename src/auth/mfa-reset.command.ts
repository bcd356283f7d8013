import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/app-config';
import { startDatabase, withDataSource } from '../database/database-server';
import { EmbeddedPostgresError } from '../database/embedded-postgres';

/**
 * Clears one staff member's second factor and ends their sessions, recorded
 * in the audit log as done by the system: for an admin who lost their phone
 * when no other admin can reset it on the Clinicians page, or after
 * SESSION_SECRET changed (it seals the authenticator secrets). Returns
 * whether such a user exists.
 */
export async function resetMfaByEmail(dataSource: DataSource, email: string): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    // An UPDATE's answer is its rows and its count.
    const [[user]] = await manager.query<[{ id: string; clinic_id: string }[], number]>(
      `UPDATE users SET mfa_secret = NULL, mfa_enrolled_at = NULL, mfa_last_step = NULL, mfa_failures = 0,
         mfa_pending_secret = NULL, mfa_pending_session_id = NULL, mfa_pending_at = NULL
       WHERE email = $1 RETURNING id, clinic_id`,
      [email.trim().toLowerCase()],
    );
    if (!user) return false;
    await manager.query(`DELETE FROM mfa_recovery_codes WHERE user_id = $1`, [user.id]);
    const [, ended] = await manager.query<[unknown[], number]>(
      `DELETE FROM sessions WHERE user_id = $1`,
      [user.id],
    );
    await manager.query(
      `INSERT INTO audit_events (clinic_id, actor_type, action, target_type, target_id, outcome, detail)
       VALUES ($1, 'system', 'auth.mfa_reset', 'user', $2, 'success', $3)`,
      [user.clinic_id, user.id, { by: 'command', sessionsEnded: ended }],
    );
    return true;
  });
}

/** `npm run mfa:reset -- someone@clinic.org` */
async function main(): Promise<void> {
  const email = process.argv[2];
  if (!email) {
    process.stderr.write("Give the staff member's email: npm run mfa:reset -- ann@clinic.org\n");
    process.exit(2);
  }
  const config = loadConfig(process.env);
  const database = await startDatabase(config, () => undefined);
  try {
    const found = await withDataSource(database.url, (dataSource) =>
      resetMfaByEmail(dataSource, email),
    );
    process.stdout.write(
      found
        ? `Two-step sign-in of ${email} is reset and their sessions ended. They set it up again at their next sign-in.\n`
        : `No staff member has the email ${email}; nothing was changed.\n`,
    );
    if (!found) process.exitCode = 1;
  } finally {
    await database.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const known = error instanceof ConfigError || error instanceof EmbeddedPostgresError;
    process.stderr.write(
      `Reset failed: ${known ? error.message : String((error as Error)?.stack ?? error)}\n`,
    );
    process.exit(1);
  });
}
