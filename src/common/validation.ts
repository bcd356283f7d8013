import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode, FieldProblem } from './domain-error';

/** Flattens class-validator's tree into one problem per field, with dotted paths. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // One line per distinct message: two rules may say the same thing about one field.
    const own = [...new Set(Object.values(error.constraints ?? {}))].map((message) => ({
      field,
      message: message.startsWith(`property ${error.property} `)
        ? `${field} is not an accepted field`
        : message,
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/**
 * The one validation pipe, registered as a provider (APP_PIPE) so tests get it
 * too: unknown fields are refused, nested DTOs validated, values transformed.
 * `expectedType` is for a body whose DTO class is generated at run time.
 */
export function createValidationPipe(expectedType?: new () => object): ValidationPipe {
  return new ValidationPipe({
    expectedType,
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = fieldProblems(errors);
      return new DomainError(
        ErrorCode.ValidationFailed,
        `Some fields are not valid: ${[...new Set(fields.map((f) => f.field))].join(', ')}.`,
        fields,
      );
    },
  });
}
