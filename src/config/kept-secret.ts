import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SECRET_FILE = 'session.secret';

/**
 * The secret that signs form tokens, when SESSION_SECRET is not set and the
 * database is the embedded one: made once and kept beside its data, so a
 * restart does not turn every open form's token into a refusal. Deleting the
 * data folder starts over, secret included.
 */
export async function keptSessionSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, SECRET_FILE);
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.length >= 32) return kept;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
