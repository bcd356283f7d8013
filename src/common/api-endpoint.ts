import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCookieAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
} from '@nestjs/swagger';
import { ApiKeyScope } from '../api-keys/api-key-scopes';
import { ApiKeyScopeNeeded } from '../auth/actor';
import { ErrorCode, HTTP_STATUS_BY_CODE } from './domain-error';

class FieldProblemDto {
  @ApiProperty({ example: 'email' }) field!: string;
  @ApiProperty({ example: 'Enter an email address, like name@example.org.' }) message!: string;
}

/** The one error body of every JSON route (src/common/error.filter.ts). */
export class ErrorBodyDto {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.NotFound }) code!: ErrorCode;
  @ApiProperty({ example: 'The patient was not found.' }) message!: string;
  @ApiPropertyOptional({
    type: [FieldProblemDto],
    description: 'For validation_failed: each problem at its field.',
  })
  fields?: FieldProblemDto[];
  @ApiProperty({
    example: '0b6f2c1e-8c1d-4a52-9f7a-2f1f0c9d3e11',
    description: 'Quote it to support.',
  })
  requestId!: string;
}

/** What each error means, in the words the API documents it with. */
const ERROR_DOCS: Readonly<Record<ErrorCode, string>> = {
  [ErrorCode.ValidationFailed]: 'A field is not valid: each problem names its field.',
  [ErrorCode.MalformedBody]: 'The body is not JSON (or not the form the route reads).',
  [ErrorCode.PayloadTooLarge]: 'The body is larger than the route accepts.',
  [ErrorCode.NotSignedIn]: 'No valid API key (Authorization: Bearer …) and no signed-in session.',
  [ErrorCode.LinkRequired]: "The patient's link session is missing or over.",
  [ErrorCode.ConsentRequired]: 'The patient has not agreed to the privacy notice.',
  [ErrorCode.Forbidden]:
    "The key lacks the operation's scope, the operation is not open to keys, or the role does not allow it.",
  [ErrorCode.CsrfRejected]: 'A session call without its CSRF token (keys need none).',
  [ErrorCode.NotFound]:
    "No such record in the caller's clinic (another clinic's is not found either).",
  [ErrorCode.LinkGone]: 'The link has expired or was revoked.',
  [ErrorCode.Conflict]: 'The record is not in a state that allows this; the message says why.',
  [ErrorCode.HandoutRefused]: 'The handout was refused by the dosing-advice guard.',
  [ErrorCode.TooManyAttempts]: 'Over the limit: wait the seconds in Retry-After.',
  [ErrorCode.Unavailable]: 'Not ready yet: try again after the seconds in Retry-After.',
};

/** What every operation may answer, by who calls it. */
const CALLER_ERRORS = {
  staff: [
    ErrorCode.NotSignedIn,
    ErrorCode.Forbidden,
    ErrorCode.CsrfRejected,
    ErrorCode.TooManyAttempts,
  ],
  patient: [ErrorCode.LinkRequired, ErrorCode.CsrfRejected],
} as const;

const CALLERS = {
  staff: 'Signed-in staff only: not open to API keys.',
  patient:
    "The patient's own session, opened with their invitation link (the intake pages' JSON twin).",
} as const;

export interface EndpointDoc {
  readonly summary: string;
  readonly description: string;
  /** Open to API keys with this scope; without it, sessions only. */
  readonly scope?: ApiKeyScope;
  /** Staff (a session, or a key with `scope`) by default; or the patient's link session. */
  readonly caller?: keyof typeof CALLER_ERRORS;
  /** When the answer is not JSON (a PDF, a CSV). */
  readonly produces?: string;
  /** The answer when it works. */
  readonly ok: {
    readonly status?: HttpStatus.OK | HttpStatus.CREATED;
    readonly type?: Type<unknown> | [Type<unknown>];
    readonly description: string;
    readonly example: unknown;
  };
  /** The request body's example, for operations with one. */
  readonly body?: { readonly type: Type<unknown>; readonly example: unknown };
  /** The errors this operation itself may answer (the caller's are added). */
  readonly errors?: readonly ErrorCode[];
}

/**
 * An operation of the JSON API, documented whole in one place: what it does,
 * who may call it (a session, and a key with `scope`), what it answers with
 * an example, and every error it may answer, with the product's error body
 * and an example of each (test/openapi.e2e-spec.ts holds every operation to it).
 */
export function ApiEndpoint(doc: EndpointDoc): MethodDecorator {
  const caller = doc.caller ?? 'staff';
  const errors = [...new Set([...(doc.errors ?? []), ...CALLER_ERRORS[caller]])];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errors) {
    const status = HTTP_STATUS_BY_CODE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiOperation({
      summary: doc.summary,
      description: doc.scope
        ? `${doc.description}\n\nSigned-in staff, or an API key with the scope \`${doc.scope}\`.`
        : `${doc.description}\n\n${CALLERS[caller]}`,
    }),
    ApiCookieAuth(),
    ...(doc.scope ? [ApiBearerAuth(), ApiKeyScopeNeeded(doc.scope)] : []),
    ...(doc.body
      ? [ApiBody({ type: doc.body.type, examples: { example: { value: doc.body.example } } })]
      : []),
    doc.produces
      ? // A file: its own media type; errors stay JSON.
        ApiResponse({
          status: doc.ok.status ?? HttpStatus.OK,
          description: doc.ok.description,
          content: {
            [doc.produces]: {
              schema: { type: 'string', format: 'binary' },
              example: doc.ok.example,
            },
          },
        })
      : ApiResponse({
          status: doc.ok.status ?? HttpStatus.OK,
          description: doc.ok.description,
          type: doc.ok.type,
          example: doc.ok.example,
        }),
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({
        status,
        description: codes.map((code) => `\`${code}\`: ${ERROR_DOCS[code]}`).join(' '),
        type: ErrorBodyDto,
        example: {
          statusCode: status,
          code: codes[0],
          message: ERROR_DOCS[codes[0]],
          requestId: '0b6f2c1e-8c1d-4a52-9f7a-2f1f0c9d3e11',
        },
      }),
    ),
  );
}
