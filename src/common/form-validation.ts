import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldProblem } from './domain-error';
import { fieldProblems } from './validation';

/**
 * Validates a submitted HTML form against a DTO with the same rules as the
 * API's pipe, so a page can show the problems next to the fields and keep
 * what the user typed.
 */
export function validateForm<T extends object>(
  dto: new () => T,
  body: unknown,
): { value: T; problems: FieldProblem[] } {
  const value = plainToInstance(dto, body ?? {});
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  return { value, problems: fieldProblems(errors) };
}
