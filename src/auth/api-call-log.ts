import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { ApiClientActor, requestMeta } from './actor';

/**
 * Every call made with an API key, in the audit log under the key's name
 * (`api.call`): the method, the route's pattern (never the path, which may
 * hold ids already recorded as the target) and the status, written once
 * the response is done (sent, or the client gone first), refusals by scope
 * included; a refused key or a call past the limit is recorded by
 * ApiKeyAuthenticator. What the call did to a record is
 * recorded as well, by the service that did it, with the key as its actor.
 */
@Injectable()
export class ApiCallLog {
  private readonly logger = new Logger(ApiCallLog.name);

  constructor(private readonly audit: AuditService) {}

  recordWhenDone(client: ApiClientActor, req: Request, res: Response): void {
    // `close` comes whether the response was sent whole or the client went away first.
    res.once('close', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      this.audit
        .record({
          clinicId: client.clinicId,
          actorType: 'api_key',
          actorId: client.keyId,
          action: 'api.call',
          outcome: res.statusCode < 400 ? 'success' : res.statusCode === 403 ? 'denied' : 'failure',
          ...requestMeta(req),
          detail: {
            method: req.method,
            route,
            status: res.statusCode,
            ...(res.writableFinished ? {} : { completed: false }),
          },
        })
        .catch((error: unknown) =>
          this.logger.error({ err: error }, 'Could not record an API call in the audit log'),
        );
    });
  }
}
