import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyScope } from '../api-keys/api-key-scopes';
import { serverTimeZone } from '../common/clinic-time';
import { DomainError, ErrorCode } from '../common/domain-error';
import { hashToken } from '../common/tokens';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AuditService } from '../audit/audit.service';
import { ApiClientActor, RequestMeta } from './actor';

/** What every API key starts with, so a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'hk_';
const KEY_SHAPE = /^hk_[A-Za-z0-9_-]{43}$/;

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
  /** Seconds until the window ends. */
  wait: number;
}

/**
 * Turns a bearer API key into the clinic's API client, and counts the call
 * against the key's limit per minute. One statement does both, on the
 * database and its clock, so the limit holds across every instance: it
 * finds the key by its hash (only if not revoked, and only while the admin
 * who made it is active: a deactivated admin's keys stop with them), moves
 * its window on when the minute has passed, counts the call and notes the
 * last use. A revoked key's call, or one past the limit, is refused and
 * audited under the key (`api.call`, denied, and why).
 */
@Injectable()
export class ApiKeyAuthenticator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** 401 for a key that is not one (or no longer); 429 with Retry-After past the limit. */
  async authenticate(key: string, meta: RequestMeta): Promise<ApiClientActor> {
    if (!KEY_SHAPE.test(key)) throw new DomainError(ErrorCode.NotSignedIn, KEY_REFUSED);
    const tokenHash = hashToken(key);
    // An UPDATE's answer is its rows and its count.
    const [[row]] = await this.dataSource.query<[KeyRow[], number]>(
      `UPDATE api_keys k SET
         window_started_at = CASE WHEN k.window_started_at > now() - interval '1 minute'
           THEN k.window_started_at ELSE now() END,
         window_count = CASE WHEN k.window_started_at > now() - interval '1 minute'
           THEN k.window_count + 1 ELSE 1 END,
         last_used_at = now()
       FROM clinics c, users u
       WHERE k.token_hash = $1 AND k.revoked_at IS NULL AND c.id = k.clinic_id
         AND u.clinic_id = k.clinic_id AND u.id = k.created_by AND u.deactivated_at IS NULL
       RETURNING k.id, k.clinic_id, k.name, k.created_by, k.scopes, c.time_zone,
         k.window_count, ceil(extract(epoch FROM k.window_started_at + interval '1 minute' - now()))::int AS wait`,
      [tokenHash],
    );
    if (!row) {
      await this.refuseStopped(tokenHash, meta);
      throw new DomainError(ErrorCode.NotSignedIn, KEY_REFUSED);
    }
    if (row.window_count > this.config.apiKeyCallsPerMinute) {
      await this.deny(row.clinic_id, row.id, meta, 'rate_limited');
      throw new DomainError(
        ErrorCode.TooManyAttempts,
        `This API key made more than ${this.config.apiKeyCallsPerMinute} calls in a minute: wait, then go on.`,
        [],
        Math.max(1, row.wait),
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

  /** A key that exists but no longer works (revoked, or its admin deactivated): its attempt, audited. */
  private async refuseStopped(tokenHash: Buffer, meta: RequestMeta): Promise<void> {
    const [stopped] = await this.dataSource.query<{ id: string; clinic_id: string }[]>(
      'SELECT id, clinic_id FROM api_keys WHERE token_hash = $1',
      [tokenHash],
    );
    if (stopped) await this.deny(stopped.clinic_id, stopped.id, meta, 'revoked');
  }

  private deny(
    clinicId: string,
    keyId: string,
    meta: RequestMeta,
    reason: 'revoked' | 'rate_limited',
  ): Promise<void> {
    return this.audit.record({
      clinicId,
      actorType: 'api_key',
      actorId: keyId,
      action: 'api.call',
      outcome: 'denied',
      ...meta,
      detail: { reason },
    });
  }
}
