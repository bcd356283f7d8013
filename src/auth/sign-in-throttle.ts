import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
/** Tries at the second step per waiting sign-in. */
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
   * Reserves a try at the second step (a code or recovery code) for one
   * waiting sign-in: five, then the password again. (The account's wrong
   * codes in a row are counted too, by MfaService.)
   */
  async reserveSecondStep(sessionId: string): Promise<Reservation> {
    const key = digest('second-step', sessionId);
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

  /**
   * The device cookie after `email` signed in on this browser: a new entry
   * for them first, then the entries of up to four others who sign in here
   * too (a clinic's shared workstation), so each stays known.
   */
  issueDevice(email: string, current: string | undefined): string {
    const nonce = randomBytes(NONCE_BYTES).toString('base64url');
    const others = entriesOf(current).filter((entry) => this.verify(entry, email) === undefined);
    return [`${nonce}.${this.sign(nonce, email).toString('base64url')}`, ...others]
      .slice(0, DEVICE_ENTRIES)
      .join(DEVICE_SEPARATOR);
  }

  /** Removes counters whose window ended; returns how many. */
  async sweep(): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM sign_in_throttles WHERE window_ends_at < now() AND next_at < now()`,
    );
    return result[1];
  }

  /** The nonce of the cookie's entry made for `email` by this service, if it has one. */
  private knownDevice(cookie: string, email: string): string | undefined {
    for (const entry of entriesOf(cookie)) {
      const nonce = this.verify(entry, email);
      if (nonce !== undefined) return nonce;
    }
    return undefined;
  }

  private verify(entry: string, email: string): string | undefined {
    const [nonce, mac] = entry.split('.');
    const given = Buffer.from(mac, 'base64url');
    const expected = this.sign(nonce, email);
    return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : undefined;
  }

  /**
   * The MAC of an entry: over fixed-length parts (the nonce's bytes and the
   * email's SHA-256), so no choice of email or nonce can make one entry
   * stand for another account.
   */
  private sign(nonce: string, email: string): Buffer {
    return createHmac('sha256', this.deviceKey)
      .update(Buffer.from(nonce, 'base64url'))
      .update(createHash('sha256').update(email).digest())
      .digest();
  }

  /**
   * Counts an attempt against `limit` in one statement; undefined when the
   * attempt may go ahead, else the seconds until one may. A window that has
   * ended starts again at one; a slowed account's window lasts while attempts
   * keep coming, and each attempt it allows moves its next slot forward.
   */
  private async take(limit: Limit): Promise<number | undefined> {
    // Time is the database's, the same for every instance; a slot goes to the attempt that
    // moved it, named by a fresh id, however many arrive in the same instant.
    const holder = randomUUID();
    const [row] = await this.dataSource.query<{ allowed: boolean; wait_ms: number }[]>(
      `INSERT INTO sign_in_throttles AS t (key, attempts, window_ends_at, next_at)
       VALUES ($1, 1, now() + $2 * interval '1 millisecond', now())
       ON CONFLICT (key) DO UPDATE SET
         attempts = CASE WHEN t.window_ends_at <= now() THEN 1 ELSE t.attempts + 1 END,
         slot_holder = CASE
           WHEN $4::int IS NOT NULL AND t.window_ends_at > now() AND t.attempts >= $3 AND t.next_at <= now()
           THEN $5::uuid ELSE t.slot_holder END,
         next_at = CASE
           WHEN $4::int IS NOT NULL AND t.window_ends_at > now() AND t.attempts >= $3 AND t.next_at <= now()
           THEN now() + $4 * interval '1 millisecond' ELSE t.next_at END,
         window_ends_at = CASE
           WHEN t.window_ends_at <= now() THEN now() + $2 * interval '1 millisecond'
           WHEN $4::int IS NOT NULL AND t.attempts >= $3 THEN now() + $2 * interval '1 millisecond'
           ELSE t.window_ends_at END
       RETURNING attempts <= $3 OR slot_holder IS NOT DISTINCT FROM $5::uuid AS allowed,
         extract(epoch FROM (CASE WHEN $4::int IS NULL THEN window_ends_at ELSE next_at END) - now()) * 1000 AS wait_ms`,
      [limit.key, THROTTLE_WINDOW_MS, limit.max, limit.spacingMs, holder],
    );
    if (row.allowed) return undefined;
    return Math.max(1, Math.ceil(Number(row.wait_ms) / 1000));
  }
}

function digest(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

const NONCE_BYTES = 16;
/** Device entries a browser keeps: the last few people who signed in on it. */
const DEVICE_ENTRIES = 5;
const DEVICE_SEPARATOR = '~';
const ENTRY_SHAPE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

/** A device cookie's well-formed entries (at most five are read). */
function entriesOf(cookie: string | undefined): string[] {
  if (!cookie) return [];
  return cookie.split(DEVICE_SEPARATOR, DEVICE_ENTRIES).filter((entry) => ENTRY_SHAPE.test(entry));
}

/**
 * What an address counts as: an IPv4 address itself (an IPv4-mapped IPv6
 * one too), an IPv6 address by its /64, the block one subscriber gets,
 * so rotating through it is one address.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
