import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Where the database came from, for readiness and the start-up banner. */
export interface DatabaseRuntime {
  readonly url: string;
  readonly embedded: boolean;
}
export const DATABASE_RUNTIME = Symbol('DATABASE_RUNTIME');

/** The validated configuration, read once in main.ts, as an injectable value. */
@Global()
@Module({})
export class ConfigModule {
  static register(config: AppConfig, database: DatabaseRuntime): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATABASE_RUNTIME, useValue: database },
      ],
      exports: [APP_CONFIG, DATABASE_RUNTIME],
    };
  }
}
