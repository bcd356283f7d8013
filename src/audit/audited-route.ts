import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { clinicScopeOf, requestMeta } from '../auth/actor';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AuditAction } from './audit-actions';
import { AuditService } from './audit.service';

/** The kinds of record a path id can name. */
export type AuditedTarget =
  'patient' | 'intake' | 'assessment' | 'invitation' | 'user' | 'api_key' | 'webhook';

export const AUDITED_ROUTE = 'audit:route';

export interface AuditedRouteMetadata {
  readonly action: AuditAction;
  readonly target: AuditedTarget;
  /** The path parameter that holds the record's id. */
  readonly param: string;
  /** The record's id in the parameter, when the parameter says more (a FHIR Observation's id). */
  readonly idOf?: (value: string) => string;
}

/**
 * The route acts on the record named by the path parameter `param` (a
 * `target`), as `action`. When the request is refused because that record
 * is not the caller's clinic's, or does not exist (not found, or
 * forbidden), DeniedAccessInterceptor records a `denied` event: the action,
 * the id asked for, who and from where. Every route with a record id in its
 * path carries one (test/cross-clinic-routes.e2e-spec.ts fails otherwise).
 */
export const AuditedRoute = (
  action: AuditAction,
  target: AuditedTarget,
  param = 'id',
  idOf?: (value: string) => string,
): MethodDecorator =>
  SetMetadata(AUDITED_ROUTE, { action, target, param, idOf } satisfies AuditedRouteMetadata);

const REFUSALS: ReadonlySet<ErrorCode> = new Set([ErrorCode.NotFound, ErrorCode.Forbidden]);

/**
 * Records every refused attempt on an `@AuditedRoute`, in one place rather
 * than in each service. Errors pass through unchanged once recorded; a
 * request that fails to record its refusal fails as a whole.
 */
@Injectable()
export class DeniedAccessInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<AuditedRouteMetadata | undefined>(
      AUDITED_ROUTE,
      context.getHandler(),
    );
    if (!route || context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const scope = clinicScopeOf(req);
        if (!scope || !(error instanceof DomainError) || !REFUSALS.has(error.code))
          return throwError(() => error);
        const param = req.params[route.param];
        const asked = typeof param === 'string' && route.idOf ? route.idOf(param) : param;
        const named = typeof asked === 'string' && isUUID(asked);
        const denial = this.audit.recordDenied(scope, requestMeta(req), {
          action: route.action,
          targetType: route.target,
          // A malformed id names no record: noted as such, never stored as typed.
          targetId: named ? asked : undefined,
          detail: { reason: error.code, ...(named ? {} : { malformedId: true }) },
        });
        return from(denial).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }
}
