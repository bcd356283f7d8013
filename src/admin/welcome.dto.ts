import { IsString, MaxLength, MinLength } from 'class-validator';

/** The shortest password a user may choose. Length is the rule: no composition rules. */
export const MIN_PASSWORD_LENGTH = 12;
/** As at sign-in: argon2 needs no more, and a huge body is refused before it is hashed. */
export const MAX_PASSWORD_LENGTH = 1024;

/** An invited user chooses their first password. */
export class WelcomePasswordDto {
  @IsString({ message: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.` })
  @MinLength(MIN_PASSWORD_LENGTH, {
    message: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
  })
  @MaxLength(MAX_PASSWORD_LENGTH, {
    message: `The password can be at most ${MAX_PASSWORD_LENGTH} characters.`,
  })
  password!: string;

  @IsString({ message: 'Type the same password again.' })
  @MinLength(1, { message: 'Type the same password again.' })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: 'Type the same password again.' })
  passwordConfirmation!: string;
}
