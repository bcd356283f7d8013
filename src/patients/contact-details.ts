import { registerDecorator, ValidationOptions } from 'class-validator';

/** Characters a phone number may be typed with. */
const PHONE_CHARACTERS = /^[0-9 +()-]+$/;
export const PHONE_MIN_DIGITS = 6;
export const PHONE_MAX_DIGITS = 20;
/** Longest phone as typed: twenty digits with room for separators. */
export const PHONE_MAX_LENGTH = 32;

/**
 * A phone number as a person types it: digits, spaces, `+`, `-`, `(` and
 * `)`, with 6 to 20 digits. Kept as typed (after trimming): the clinic reads
 * it back as it was given. No country rules: a clinic's patients call from
 * anywhere.
 */
export function isPhone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > PHONE_MAX_LENGTH) return false;
  if (!PHONE_CHARACTERS.test(value)) return false;
  const digits = value.replace(/\D/g, '').length;
  return digits >= PHONE_MIN_DIGITS && digits <= PHONE_MAX_DIGITS;
}

export const PHONE_MESSAGE = `Enter a phone number of ${PHONE_MIN_DIGITS} to ${PHONE_MAX_DIGITS} digits, like +44 20 7946 0958; only digits, spaces and + - ( ) are allowed.`;

export function IsPhone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isPhone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: PHONE_MESSAGE, ...options },
      validator: { validate: isPhone },
    });
}
