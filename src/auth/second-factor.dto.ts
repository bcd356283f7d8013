import { IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH } from '../admin/welcome.dto';

/** A code from the authenticator app, or a recovery code. */
export class SecondFactorCodeDto {
  @IsString({ message: 'Type the six digits your authenticator app shows, or a recovery code.' })
  @MinLength(1, {
    message: 'Type the six digits your authenticator app shows, or a recovery code.',
  })
  @MaxLength(64, {
    message: 'A code is six digits, or a recovery code of sixteen letters and digits.',
  })
  code!: string;
}

/** The password again, before a change of factor. */
export class PasswordAgainDto {
  @IsString({ message: 'Type your password.' })
  @MinLength(1, { message: 'Type your password.' })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: 'The password is too long.' })
  password!: string;
}
