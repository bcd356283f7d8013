import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, ValidateBy } from 'class-validator';
import { SafeText } from '../common/safe-text';
import { API_KEY_SCOPE_NAMES, ApiKeyScope, isApiKeyScope } from './api-key-scopes';
import { ApiKeyEntity } from './api-key.entity';

/** A new key, as the admin's form sends it: a name and at least one scope. */
export class ApiKeyCreateDto {
  @SafeText()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'Give the key a name, such as the system that will use it.' })
  @Length(1, 100, { message: 'Give the key a name of at most 100 characters.' })
  name!: string;

  // A form sends one checked box as a string, several as a list, none as nothing.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @ValidateBy({
    name: 'scopes',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) && value.length > 0 && value.every(isApiKeyScope),
      defaultMessage: (args) =>
        Array.isArray(args?.value) && args.value.length > 0
          ? 'Choose from the listed scopes.'
          : 'Choose at least one thing the key may do.',
    },
  })
  @ApiProperty({ enum: API_KEY_SCOPE_NAMES, isArray: true })
  scopes!: ApiKeyScope[];
}

/** A key as the admin's page lists it: never the key itself. */
export interface ApiKeySummary {
  readonly id: string;
  readonly name: string;
  readonly hint: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** A key just made: the only time the key itself is shown. */
export interface NewApiKey {
  readonly id: string;
  readonly name: string;
  readonly key: string;
}

export class ApiKeyDocs {
  @ApiProperty({ description: 'Sent as `Authorization: Bearer <key>`.' }) key!: string;
}

export const mapApiKey = (key: ApiKeyEntity, createdBy: string): ApiKeySummary => ({
  id: key.id,
  name: key.name,
  hint: key.tokenHint,
  scopes: key.scopes,
  createdAt: key.createdAt,
  createdBy,
  lastUsedAt: key.lastUsedAt,
  revokedAt: key.revokedAt,
});
