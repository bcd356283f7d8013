import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { SafeText } from '../common/safe-text';
import { CONSENT_CONTACT_MAX, CONSENT_TEXT_MAX } from './consent-text.entity';

/** An admin's new version of the clinic's privacy notice. */
export class ConsentTextDto {
  @ApiProperty({ description: 'The privacy notice patients read before the first question' })
  @IsString({ message: 'Write the privacy notice.' })
  @Length(1, CONSENT_TEXT_MAX, {
    message: `Write the privacy notice, in at most ${CONSENT_TEXT_MAX.toLocaleString('en')} characters.`,
  })
  @Matches(/\S/, { message: 'Write the privacy notice.' })
  @SafeText({ multiline: true })
  body!: string;

  @ApiProperty({ description: 'How patients reach the clinic; empty for none' })
  @IsString()
  @MaxLength(CONSENT_CONTACT_MAX, {
    message: `Keep the contact line to ${CONSENT_CONTACT_MAX} characters.`,
  })
  @SafeText()
  contact!: string;
}

/** The patient's answer to the notice, for the version they were shown. */
export class ConsentAnswerDto {
  @IsUUID('all', { message: 'Open the privacy notice again.' })
  consentTextId!: string;

  @IsIn(['agree', 'refuse'], { message: 'Choose whether you agree.' })
  decision!: 'agree' | 'refuse';
}

/** A notice's text as paragraphs of lines, for a page to show without markup from the text. */
export function paragraphsOf(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .filter((lines) => lines.length > 0);
}
