/**
 * Errors the service means to return. Each code maps to one HTTP status in
 * `HTTP_STATUS_BY_CODE`, the only place that knows about HTTP.
 */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  MalformedBody = 'malformed_body',
  PayloadTooLarge = 'payload_too_large',
  NotSignedIn = 'not_signed_in',
  LinkRequired = 'link_required',
  /** The patient has not (yet) agreed to the clinic's privacy notice: no question, no answer. */
  ConsentRequired = 'consent_required',
  Forbidden = 'forbidden',
  CsrfRejected = 'csrf_rejected',
  NotFound = 'not_found',
  /** A link that worked once and no longer does (expired, revoked, account closed). */
  LinkGone = 'link_gone',
  Conflict = 'conflict',
  HandoutRefused = 'handout_refused',
  TooManyAttempts = 'too_many_attempts',
  Unavailable = 'unavailable',
}

export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.MalformedBody]: 400,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.NotSignedIn]: 401,
  [ErrorCode.LinkRequired]: 401,
  [ErrorCode.ConsentRequired]: 403,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.CsrfRejected]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.LinkGone]: 410,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.HandoutRefused]: 422,
  [ErrorCode.TooManyAttempts]: 429,
  [ErrorCode.Unavailable]: 503,
};

export interface FieldProblem {
  /** Dotted path of the field, e.g. `sections.sleep.bedtimeWeekday`. */
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
    /** Seconds, for 429 and 503. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} was not found.`);
  }
}
