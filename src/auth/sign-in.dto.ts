import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { SafeText } from '../common/safe-text';

export class SignInDto {
  @ApiProperty({ example: 'clinician@example.org' })
  @SafeText()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail({}, { message: 'Enter your email address, like name@clinic.org.' })
  @MaxLength(254, { message: 'The email address is too long.' })
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString({ message: 'Enter your password.' })
  @MinLength(1, { message: 'Enter your password.' })
  @MaxLength(1024, { message: 'The password is too long.' })
  password!: string;
}
