import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDACT_PATHS, serializeError, serializeRequest, serializeResponse } from './log-redaction';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Structured JSON logs, one line per request with its id; nothing sensitive (see log-redaction). */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: (req, res) => {
            const given = req.headers['x-request-id'];
            const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
            res.setHeader('X-Request-Id', id);
            return id;
          },
          serializers: { req: serializeRequest, res: serializeResponse, err: serializeError },
          redact: { paths: REDACT_PATHS, censor: '[redacted]' },
          customLogLevel: (_req, res, error) =>
            error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          autoLogging: { ignore: (req) => req.url?.startsWith('/health/') ?? false },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
