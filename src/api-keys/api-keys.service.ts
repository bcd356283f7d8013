import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, QueryFailedError, Repository } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { API_KEY_PREFIX } from '../auth/api-key-authenticator';
import { AuditService } from '../audit/audit.service';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { hashToken, newToken } from '../common/tokens';
import { UserRepository } from '../users/user.repository';
import { ApiKeyCreateDto, ApiKeySummary, mapApiKey, NewApiKey } from './api-key.dto';
import { ApiKeyEntity } from './api-key.entity';

export const NAME_IN_USE =
  'Another active key has this name: choose another, so the audit log can tell them apart.';

@Injectable()
export class ApiKeyRepository extends ClinicScopedRepository<ApiKeyEntity> {
  constructor(@InjectRepository(ApiKeyEntity) repository: Repository<ApiKeyEntity>) {
    super(repository);
  }

  add(
    scope: ClinicScope,
    values: Pick<ApiKeyEntity, 'name' | 'tokenHash' | 'tokenHint' | 'scopes' | 'createdAt'>,
  ): Promise<ApiKeyEntity> {
    return this.insertScoped(scope, {
      ...values,
      createdBy: scope.userId,
      revokedAt: null,
      lastUsedAt: null,
      windowStartedAt: null,
      windowCount: 0,
    } as Omit<ApiKeyEntity, 'clinicId'>);
  }

  list(scope: ClinicScope): Promise<ApiKeyEntity[]> {
    return this.findWhere(scope, {}, { createdAt: 'DESC', id: 'DESC' });
  }

  findById(scope: ClinicScope, id: string): Promise<ApiKeyEntity | null> {
    return this.findOneWhere(scope, { id });
  }

  /** Revokes an active key; false when it was revoked already (two clicks at once: one wins). */
  async revoke(scope: ClinicScope, id: string, at: Date): Promise<boolean> {
    const result = await this.repository.update(this.where(scope, { id, revokedAt: IsNull() }), {
      revokedAt: at,
    });
    return (result.affected ?? 0) > 0;
  }
}

/**
 * The clinic's API keys, for its admins: make one (shown once, stored as
 * its SHA-256), list them with their last use, revoke one. Each change is
 * audited; calls made with a key are audited under its name.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(scope: ClinicScope, dto: ApiKeyCreateDto, meta: RequestMeta): Promise<NewApiKey> {
    const key = `${API_KEY_PREFIX}${newToken()}`;
    let made: ApiKeyEntity;
    try {
      made = await this.keys.add(scope, {
        name: dto.name,
        tokenHash: hashToken(key),
        tokenHint: key.slice(0, API_KEY_PREFIX.length + 4),
        scopes: [...new Set(dto.scopes)],
        createdAt: this.clock.now(),
      });
    } catch (error) {
      if (error instanceof QueryFailedError && /api_keys_active_name_key/.test(error.message)) {
        throw new DomainError(ErrorCode.ValidationFailed, NAME_IN_USE, [
          { field: 'name', message: NAME_IN_USE },
        ]);
      }
      throw error;
    }
    await this.record(scope, meta, 'apikey.create', made, { scopes: made.scopes.join(',') });
    return { id: made.id, name: made.name, key };
  }

  /** Active keys first, then revoked ones; newest first in each. */
  async list(scope: ClinicScope): Promise<ApiKeySummary[]> {
    const keys = await this.keys.list(scope);
    const names = new Map(
      (await this.users.listForClinic(scope)).map((user) => [user.id, user.displayName]),
    );
    return keys
      .sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null))
      .map((key) => mapApiKey(key, names.get(key.createdBy) ?? 'A former user'));
  }

  /** Stops the key at once; revoking twice changes nothing. 404 for another clinic's. */
  async revoke(scope: ClinicScope, id: string, meta: RequestMeta): Promise<void> {
    const key = await this.keys.findById(scope, id);
    if (!key) throw DomainError.notFound('The API key');
    if (await this.keys.revoke(scope, id, this.clock.now())) {
      await this.record(scope, meta, 'apikey.revoke', key);
    }
  }

  private record(
    scope: ClinicScope,
    meta: RequestMeta,
    action: 'apikey.create' | 'apikey.revoke',
    key: ApiKeyEntity,
    detail: Record<string, string> = {},
  ): Promise<void> {
    return this.audit.recordByUser(scope, meta, {
      action,
      targetType: 'api_key',
      targetId: key.id,
      outcome: 'success',
      detail: { name: key.name, ...detail },
    });
  }
}
