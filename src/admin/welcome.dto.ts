import { IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/password-policy';

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

/**
 * An invited user chooses their first password. The length is checked here,
 * at once; how easy it is to guess, against the user's own details, by
 * PasswordPolicy in WelcomeService.join.
 */
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
