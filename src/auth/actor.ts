import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { ClinicScope } from '../common/clinic-scope';
import { ClinicTime } from '../common/clinic-time';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { ApiKeyScope } from '../api-keys/api-key-scopes';
import type { Protocol } from '../common/protocol';
import type { UserRole } from '../users/user.entity';

/** A signed-in clinician or admin, as resolved from the session cookie. */
export interface ClinicianActor {
  readonly kind: 'clinician';
  readonly sessionId: string;
  readonly userId: string;
  readonly clinicId: string;
  readonly role: UserRole;
  readonly displayName: string;
  readonly email: string;
  /** The clinic's time zone, in which its pages show times. */
  readonly timeZone: string;
}

export type Actor = ClinicianActor;

/** A clinic's other system, calling the API with a key an admin made. */
export interface ApiClientActor {
  readonly kind: 'api_key';
  readonly keyId: string;
  /** The key's name, as the audit log names its calls. */
  readonly name: string;
  readonly clinicId: string;
  /** The admin who made the key: what the key creates is recorded as made by them. */
  readonly createdBy: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly timeZone: string;
}

/** Someone whose password was right, with the second step of sign-in still to do. */
export interface PendingSignIn {
  readonly sessionId: string;
  readonly userId: string;
  readonly clinicId: string;
  readonly email: string;
  readonly displayName: string;
  readonly clinicName: string;
  /** `code`: a code or recovery code is asked for; `enrol`: the second factor must be set up first. */
  readonly stage: 'code' | 'enrol';
}

/** A patient who opened an invitation link: can reach only that invitation's intake. */
export interface PatientActor {
  readonly kind: 'patient';
  readonly sessionId: string;
  readonly invitationId: string;
  readonly clinicId: string;
  readonly patientId: string;
  readonly protocol: Protocol;
}

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
    apiClient?: ApiClientActor;
    pendingSignIn?: PendingSignIn;
    patient?: PatientActor;
  }
}

const IS_PUBLIC = 'auth:public';
const ROLES = 'auth:roles';
const API_KEY_SCOPE = 'auth:api-key-scope';

/** The route needs no sign-in (sign-in page, health, a patient's own link). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
/** The route needs one of these roles; without it, any signed-in clinician may use it. */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES, roles);
/**
 * The route is open to API keys that have this scope (besides signed-in
 * staff, who need no scope). A route without it refuses every key.
 */
export const ApiKeyScopeNeeded = (scope: ApiKeyScope): MethodDecorator =>
  SetMetadata(API_KEY_SCOPE, scope);
export const AUTH_METADATA = { IS_PUBLIC, ROLES, API_KEY_SCOPE } as const;

function actorOf(context: ExecutionContext): Actor {
  const actor = context.switchToHttp().getRequest<Request>().actor;
  if (!actor) throw new DomainError(ErrorCode.NotSignedIn, 'Sign in to continue.');
  return actor;
}

/** The signed-in actor. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  actorOf(context),
);

/** The patient whose link opened this session (routes behind PatientGuard). */
export const CurrentPatient = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const patient = context.switchToHttp().getRequest<Request>().patient;
  if (!patient)
    throw new DomainError(ErrorCode.LinkRequired, 'Open the link from your clinic again.');
  return patient;
});

/**
 * The clinic of the signed-in actor or of the API key: the only sources of
 * a ClinicScope. A key acts as the admin who made it (the `userId` rows
 * record as their maker), and is named in the audit log (`apiKeyId`).
 * Undefined for anyone else.
 */
export function clinicScopeOf(req: Request): ClinicScope | undefined {
  const client = req.apiClient;
  if (client)
    return { clinicId: client.clinicId, userId: client.createdBy, apiKeyId: client.keyId };
  const actor = req.actor;
  return actor && { clinicId: actor.clinicId, userId: actor.userId };
}

/** The caller's ClinicScope (see clinicScopeOf); 401 without one. */
export const Scope = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ClinicScope => {
    const scope = clinicScopeOf(context.switchToHttp().getRequest<Request>());
    if (!scope) throw new DomainError(ErrorCode.NotSignedIn, 'Sign in to continue.');
    return scope;
  },
);

/** Times as the signed-in user's (or the key's) clinic reads them (its time zone). */
export const Time = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ClinicTime => {
    const client = context.switchToHttp().getRequest<Request>().apiClient;
    return ClinicTime.of(client ? client.timeZone : actorOf(context).timeZone);
  },
);

/** Request facts for audit events. */
export interface RequestMeta {
  readonly requestId: string | undefined;
  readonly ip: string | undefined;
}

export function requestMeta(req: Request): RequestMeta {
  return {
    requestId: typeof req.id === 'string' ? req.id : undefined,
    ip: req.ip,
  };
}

export const Meta = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  requestMeta(context.switchToHttp().getRequest<Request>()),
);
