import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDACT_PATHS, serializeError, serializeRequest, serializeResponse } from './log-redaction';
import { assignRequestId, isQuietRequest } from './request-log';

/** pino-http's options: one line per request with its id; nothing sensitive (see log-redaction). */
export function httpLoggerOptions(config: Pick<AppConfig, 'logLevel'>): Options {
  return {
    level: config.logLevel,
    genReqId: assignRequestId,
    // Our serializers get the request, response and error themselves. pino-http
    // otherwise runs pino's standard serializers first and hands ours their
    // plain-object output: serializeError then saw no Error and logged
    // `"err":{"type":"object"}` for every 500.
    wrapSerializers: false,
    serializers: { req: serializeRequest, res: serializeResponse, err: serializeError },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: isQuietRequest },
  };
}

/**
 * Structured JSON logs, one line per request with its id. An unexpected
 * error is shown in its request's line (ErrorFilter sets `res.err`).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ pinoHttp: httpLoggerOptions(config) }),
    }),
  ],
})
export class LoggingModule {}
