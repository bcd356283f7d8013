import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, registerDecorator } from 'class-validator';
import { isTimeZone } from '../common/clinic-time';

/** An IANA time zone this runtime knows, or '' for the server's own. */
function IsTimeZoneOrBlank(): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isTimeZoneOrBlank',
      target: target.constructor,
      propertyName: String(property),
      options: { message: 'Choose a time zone from the list.' },
      validator: {
        validate: (value: unknown) =>
          value === '' || (typeof value === 'string' && value.length <= 64 && isTimeZone(value)),
      },
    });
}

export class ClinicSettingsDto {
  @ApiProperty({
    description:
      "IANA time zone in which the clinic's pages show dates and times, such as Europe/Berlin; empty for the server's",
  })
  @IsTimeZoneOrBlank()
  timeZone!: string;
}

/** Whether every staff account must sign in with a second factor. */
export class ClinicMfaDto {
  @ApiProperty({ enum: ['yes', 'no'] })
  @IsIn(['yes', 'no'], { message: 'Choose whether two-step sign-in is required.' })
  mfaRequired!: 'yes' | 'no';
}

/** Whether emails to patients name the clinic. */
export class ClinicNameInEmailsDto {
  @ApiProperty({ enum: ['yes', 'no'] })
  @IsIn(['yes', 'no'], { message: 'Choose whether emails to patients name the clinic.' })
  nameInEmails!: 'yes' | 'no';
}

/** The reminder schedule as typed: days after the email, such as "3, 7"; blank for none. */
export class ClinicRemindersDto {
  @ApiProperty({
    description: 'Days after the email, separated by commas, at most three; empty: none',
  })
  @IsString({ message: 'Give the days as text, such as 3, 7.' })
  @MaxLength(40, { message: 'Give at most three days, such as 3, 7.' })
  reminderDays!: string;
}
