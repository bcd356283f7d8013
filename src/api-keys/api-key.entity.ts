import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { sqlList } from '../common/protocol';
import { ClinicEntity } from '../clinics/clinic.entity';
import { UserEntity } from '../users/user.entity';
import { API_KEY_SCOPE_NAMES, ApiKeyScope } from './api-key-scopes';

/**
 * A key a clinic's other system calls the API with, made by an admin. Only
 * the key's SHA-256 is stored (the key is 256 random bits, so a fast hash
 * is enough), with a short hint to recognise it by. Revoking keeps the row:
 * the audit log names the key by it.
 */
@Entity('api_keys')
@Unique('api_keys_token_hash_key', ['tokenHash'])
@Unique('api_keys_clinic_id_id_key', ['clinicId', 'id'])
@ForeignKey(() => UserEntity, ['clinicId', 'createdBy'], ['clinicId', 'id'], {
  name: 'api_keys_created_by_fkey',
  onDelete: 'RESTRICT',
})
@Check('api_keys_name_not_blank', `length(btrim(name)) > 0`)
@Check('api_keys_token_hash_sha256', `octet_length(token_hash) = 32`)
@Check(
  'api_keys_scopes_known',
  `cardinality(scopes) > 0 AND scopes <@ ARRAY[${sqlList(API_KEY_SCOPE_NAMES)}]::varchar[]`,
)
@Index('api_keys_active_name_key', ['clinicId', 'name'], {
  unique: true,
  where: 'revoked_at IS NULL',
})
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'api_keys_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ClinicEntity, { name: 'api_keys_clinic_id_fkey', onDelete: 'RESTRICT' })
  clinicId!: string;

  /** What the admin called it ("Practice EHR"): the audit log's name for its calls. */
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  /** The key's first characters, to tell keys apart on the page ("hk_Xy3…"). */
  @Column({ type: 'varchar', length: 16 })
  tokenHint!: string;

  @Column({ type: 'varchar', length: 32, array: true })
  scopes!: ApiKeyScope[];

  /** The admin who made it; what the key creates is recorded as made by them. */
  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  /** The start of the current minute of the rate limit, and the calls in it. */
  @Column({ type: 'timestamptz', nullable: true })
  windowStartedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  windowCount!: number;
}
