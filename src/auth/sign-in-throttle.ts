import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CSRF_SECRET } from './csrf';

/** The window in which attempts are counted. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** An address may try more often than one account: several staff may share a clinic's network. */
const ADDRESS_FACTOR = 3;
/** Past its limit, an account takes one attempt from unknown browsers per this share of the window. */
const ACCOUNT_SLOW_SHARE = 10;

/** Why an attempt was refused, for the audit event and the message. */
export type ThrottleReason = 'pair' | 'device' | 'address' | 'account' | 'second_step';
/** Wrong codes allowed per account in the window before its second step locks. */
const SECOND_STEP_MAX = 5;

export type Reservation =
  | { readonly allowed: true; readonly keys: ReservedKeys }
  | {
      readonly allowed: false;
      readonly reason: ThrottleReason;
      readonly retryAfterSeconds: number;
    };

/** What a successful sign-in gives back or clears. */
export interface ReservedKeys {
  /** Cleared on success: the limit that locks. */
  readonly locking: Buffer[];
  /** Given one attempt back on success: the limits that count many people. */
  readonly shared: Buffer[];
}

interface Limit {
  readonly key: Buffer;
  readonly reason: ThrottleReason;
  readonly max: number;
  /** Past the limit: null locks until the window ends; a number allows one attempt per so many ms. */
  readonly spacingMs: number | null;
}

/**
 * Sign-in limits that hold under concurrency and across instances, and that
 * an attacker cannot turn against a clinician (OWASP's device-cookie scheme).
 *
 * Every attempt reserves its place before the password is checked, by one
 * upsert per key, so forty concurrent guesses give at most the limit's number
 * of real checks. A browser the clinician signed in with before carries a
 * signed device cookie, and its attempts count against that browser alone.
 * Attempts from unknown browsers count against the pair of email and address
 * first (which locks for the window), then the address (a shared clinic
 * connection gets three times the limit), then the account, which past its
 * limit slows to one attempt per 90 seconds rather than locking: a clinician
 * on their usual browser is never kept out by someone else's guesses.
 */
@Injectable()
export class SignInThrottle {
  private readonly deviceKey: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CSRF_SECRET) secret: string,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    this.deviceKey = createHash('sha256').update(`known-device|${secret}`).digest();
  }

  /** Reserves an attempt for `email` from `ip`, with the browser's device cookie if it has one. */
  async reserve(
    email: string,
    ip: string | undefined,
    device: string | undefined,
  ): Promise<Reservation> {
    const max = this.config.signInMaxFailures;
    const nonce = device === undefined ? undefined : this.knownDevice(device, email);
    const limits: Limit[] =
      nonce !== undefined
        ? [{ key: digest('device', nonce), reason: 'device', max, spacingMs: null }]
        : [
            { key: digest('pair', email, ip ?? ''), reason: 'pair', max, spacingMs: null },
            ...(ip
              ? [
                  {
                    key: digest('address', ip),
                    reason: 'address' as const,
                    max: max * ADDRESS_FACTOR,
                    spacingMs: null,
                  },
                ]
              : []),
            {
              key: digest('account', email),
              reason: 'account',
              max,
              spacingMs: THROTTLE_WINDOW_MS / ACCOUNT_SLOW_SHARE,
            },
          ];
    for (const limit of limits) {
      const refused = await this.take(limit);
      if (refused !== undefined)
        return { allowed: false, reason: limit.reason, retryAfterSeconds: refused };
    }
    const locking = limits.filter((l) => l.reason === 'pair' || l.reason === 'device');
    const shared = limits.filter((l) => l.reason === 'address' || l.reason === 'account');
    return {
      allowed: true,
      keys: { locking: locking.map((l) => l.key), shared: shared.map((l) => l.key) },
    };
  }

  /** After a right password: the locking counters start again, the shared ones get this attempt back. */
  async succeeded(keys: ReservedKeys): Promise<void> {
    await this.dataSource.query(`DELETE FROM sign_in_throttles WHERE key = ANY($1)`, [
      keys.locking,
    ]);
    await this.dataSource.query(
      `UPDATE sign_in_throttles SET attempts = greatest(attempts - 1, 0) WHERE key = ANY($1)`,
      [keys.shared],
    );
  }

  /**
   * Reserves a try at the second step (a code or recovery code) for a user:
   * five per window, however many times the password was right.
   */
  async reserveSecondStep(userId: string): Promise<Reservation> {
    const key = digest('second-step', userId);
    const refused = await this.take({
      key,
      reason: 'second_step',
      max: SECOND_STEP_MAX,
      spacingMs: null,
    });
    return refused === undefined
      ? { allowed: true, keys: { locking: [key], shared: [] } }
      : { allowed: false, reason: 'second_step', retryAfterSeconds: refused };
  }

  /** A new device cookie for a browser that has just signed in as `email`. */
  issueDevice(email: string): string {
    const nonce = randomBytes(16).toString('base64url');
    return `${nonce}.${this.sign(nonce, email).toString('base64url')}`;
  }

  /** Removes counters whose window ended; returns how many. */
  async sweep(): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM sign_in_throttles WHERE window_ends_at < $1 AND next_at < $1`,
      [this.clock.now()],
    );
    return result[1];
  }

  /** The cookie's nonce when it was issued by this service to a browser signed in as `email`. */
  private knownDevice(cookie: string, email: string): string | undefined {
    const [nonce, mac] = cookie.split('.');
    if (!nonce || !mac) return undefined;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.sign(nonce, email);
    return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : undefined;
  }

  private sign(nonce: string, email: string): Buffer {
    return createHmac('sha256', this.deviceKey).update(`${nonce}|${email}`).digest();
  }

  /**
   * Counts an attempt against `limit` in one statement; undefined when the
   * attempt may go ahead, else the seconds until one may. A window that has
   * ended starts again at one; a slowed account's window lasts while attempts
   * keep coming, and each attempt it allows moves its next slot forward.
   */
  private async take(limit: Limit): Promise<number | undefined> {
    const now = this.clock.now();
    const windowEnds = new Date(now.getTime() + THROTTLE_WINDOW_MS);
    const nextSlot = limit.spacingMs === null ? null : new Date(now.getTime() + limit.spacingMs);
    const [row] = await this.dataSource.query<
      { allowed: boolean; window_ends_at: Date; next_at: Date }[]
    >(
      `INSERT INTO sign_in_throttles AS t (key, attempts, window_ends_at, next_at)
       VALUES ($1, 1, $3, $2)
       ON CONFLICT (key) DO UPDATE SET
         attempts = CASE WHEN t.window_ends_at <= $2 THEN 1 ELSE t.attempts + 1 END,
         next_at = CASE
           WHEN $5::timestamptz IS NOT NULL AND t.window_ends_at > $2 AND t.attempts >= $4 AND t.next_at <= $2
           THEN $5 ELSE t.next_at END,
         window_ends_at = CASE
           WHEN t.window_ends_at <= $2 THEN $3
           WHEN $5::timestamptz IS NOT NULL AND t.attempts >= $4 THEN $3
           ELSE t.window_ends_at END
       RETURNING (attempts <= $4 OR next_at = $5) AS allowed, window_ends_at, next_at`,
      [limit.key, now, windowEnds, limit.max, nextSlot],
    );
    if (row.allowed) return undefined;
    const until = limit.spacingMs === null ? row.window_ends_at : row.next_at;
    return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  }
}

function digest(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}
