import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { ClinicScope } from '../common/clinic-scope';
import { ClinicTime } from '../common/clinic-time';
import { DomainError, ErrorCode } from '../common/domain-error';
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
    pendingSignIn?: PendingSignIn;
    patient?: PatientActor;
  }
}

const IS_PUBLIC = 'auth:public';
const ROLES = 'auth:roles';

/** The route needs no sign-in (sign-in page, health, a patient's own link). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
/** The route needs one of these roles; without it, any signed-in clinician may use it. */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES, roles);
export const AUTH_METADATA = { IS_PUBLIC, ROLES } as const;

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

/** The signed-in actor's clinic: the only source of a ClinicScope. */
export const Scope = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ClinicScope => {
    const actor = actorOf(context);
    return { clinicId: actor.clinicId, userId: actor.userId };
  },
);

/** Times as the signed-in user's clinic reads them (its time zone). */
export const Time = createParamDecorator((_data: unknown, context: ExecutionContext): ClinicTime =>
  ClinicTime.of(actorOf(context).timeZone),
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
