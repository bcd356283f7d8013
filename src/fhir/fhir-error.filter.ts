import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, HTTP_STATUS_BY_CODE } from '../common/domain-error';
import { FhirService } from './fhir.service';

/** The FHIR issue type of each of the product's errors. */
const ISSUE_CODES: Partial<Record<ErrorCode, OperationOutcomeIssue['code']>> = {
  [ErrorCode.ValidationFailed]: 'invalid',
  [ErrorCode.MalformedBody]: 'structure',
  [ErrorCode.NotSignedIn]: 'login',
  [ErrorCode.Forbidden]: 'forbidden',
  [ErrorCode.CsrfRejected]: 'forbidden',
  [ErrorCode.NotFound]: 'not-found',
  [ErrorCode.TooManyAttempts]: 'throttled',
};

/**
 * Errors of the FHIR routes as FHIR clients read them: an OperationOutcome
 * (application/fhir+json) with the product's status code, the message as
 * diagnostics, and Retry-After where it applies. Anything unexpected is a
 * 500 whose details stay in the log.
 */
@Catch()
export class FhirErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(FhirErrorFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    res.setHeader('Content-Type', 'application/fhir+json; charset=utf-8');
    if (error instanceof DomainError) {
      if (error.retryAfter !== undefined) res.setHeader('Retry-After', String(error.retryAfter));
      res
        .status(HTTP_STATUS_BY_CODE[error.code])
        .send(FhirService.outcome(ISSUE_CODES[error.code] ?? 'processing', error.message));
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (status === 404) {
      res.status(404).send(FhirService.outcome('not-found', 'No such FHIR route.'));
      return;
    }
    this.logger.error({ err: error, requestId: req.id }, 'A FHIR request failed');
    res.status(500).send(FhirService.outcome('exception', 'The server could not answer.'));
  }
}
