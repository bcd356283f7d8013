import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository, ApiKeysService } from './api-keys.service';

/** The clinic's API keys, as its admins manage them (checking a key is the auth guard's). */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity]), UsersModule],
  providers: [ApiKeyRepository, ApiKeysService],
  exports: [ApiKeysService],
})
export class ApiKeysModule {}
