import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyScope } from '../api-keys/api-key-scopes';
import { Clock } from '../common/clock';
import { serverTimeZone } from '../common/clinic-time';
import { DomainError, ErrorCode } from '../common/domain-error';
import { hashToken } from '../common/tokens';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ApiClientActor } from './actor';

/** What every API key starts with, so a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'hk_';
const KEY_SHAPE = /^hk_[A-Za-z0-9_-]{43}$/;
const WINDOW_MS = 60_000;

export const KEY_REFUSED =
  'This API key is not valid: it was revoked, mistyped, or belongs to no clinic here.';

interface KeyRow {
  id: string;
  clinic_id: string;
  name: string;
  created_by: string;
  scopes: ApiKeyScope[];
  time_zone: string | null;
  window_count: number;
  window_started_at: Date;
}

/**
 * Turns a bearer API key into the clinic's API client, and counts the call
 * against the key's limit per minute. One statement does both, on the
 * database, so the limit holds across every instance: it finds the key by
 * its hash (only if not revoked), moves its window on when the minute has
 * passed, counts the call and notes the last use.
 */
@Injectable()
export class ApiKeyAuthenticator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** 401 for a key that is not one; 429 with Retry-After past the limit. */
  async authenticate(key: string): Promise<ApiClientActor> {
    if (!KEY_SHAPE.test(key)) throw new DomainError(ErrorCode.NotSignedIn, KEY_REFUSED);
    const now = this.clock.now();
    const windowFrom = new Date(now.getTime() - WINDOW_MS);
    // An UPDATE's answer is its rows and its count.
    const [[row]] = await this.dataSource.query<[KeyRow[], number]>(
      `UPDATE api_keys k SET
         window_started_at = CASE WHEN k.window_started_at > $2 THEN k.window_started_at ELSE $3 END,
         window_count = CASE WHEN k.window_started_at > $2 THEN k.window_count + 1 ELSE 1 END,
         last_used_at = $3
       FROM clinics c
       WHERE k.token_hash = $1 AND k.revoked_at IS NULL AND c.id = k.clinic_id
       RETURNING k.id, k.clinic_id, k.name, k.created_by, k.scopes, c.time_zone,
         k.window_count, k.window_started_at`,
      [hashToken(key), windowFrom, now],
    );
    if (!row) throw new DomainError(ErrorCode.NotSignedIn, KEY_REFUSED);
    if (row.window_count > this.config.apiKeyCallsPerMinute) {
      const wait = row.window_started_at.getTime() + WINDOW_MS - now.getTime();
      throw new DomainError(
        ErrorCode.TooManyAttempts,
        `This API key made more than ${this.config.apiKeyCallsPerMinute} calls in a minute: wait, then go on.`,
        [],
        Math.max(1, Math.ceil(wait / 1000)),
      );
    }
    return {
      kind: 'api_key',
      keyId: row.id,
      name: row.name,
      clinicId: row.clinic_id,
      createdBy: row.created_by,
      scopes: row.scopes,
      timeZone: row.time_zone ?? serverTimeZone(),
    };
  }
}
