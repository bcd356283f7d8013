import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { PROTOCOLS } from '../common/protocol';
import { INTAKE_STATUSES } from '../intakes/intake.entity';
import { parseAnswer } from './questionnaire/answers';
import {
  Question,
  Questionnaire,
  Section,
  YES_NO_UNSURE,
} from '../content/schema/questionnaire.schema';
import { loadContent } from '../content/content';

/*
 * The JSON API's request bodies, generated from the questionnaire definition:
 * one DTO class per section, one property per question, each checked by the
 * same parseAnswer the form uses. class-validator validates every nested
 * section (ValidateNested + Type), refuses unknown fields, and the OpenAPI
 * document describes each question.
 */

type Dto = new () => object;

function schemaFor(question: Question): Record<string, unknown> {
  const common = { description: question.label, nullable: true };
  switch (question.type) {
    case 'single': {
      const values = question.options.map((o) => o.value);
      return { ...common, type: typeof values[0] === 'number' ? Number : String, enum: values };
    }
    case 'multiple':
      return { ...common, type: [String], enum: question.options.map((o) => o.value) };
    case 'number':
      return {
        ...common,
        type: Number,
        minimum: question.min,
        maximum: question.max,
        multipleOf: question.step,
      };
    case 'time':
      return { ...common, type: String, pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', example: '22:30' };
    case 'yesNoUnsure':
      return { ...common, type: String, enum: YES_NO_UNSURE.map((o) => o.value) };
    case 'text':
      return { ...common, type: String, maxLength: question.maxLength };
  }
}

function sectionDto(section: Section): Dto {
  const Generated = class {};
  Object.defineProperty(Generated, 'name', { value: `${pascal(section.id)}AnswersDto` });
  for (const question of section.questions) {
    const decorate = (decorator: PropertyDecorator): void =>
      decorator(Generated.prototype, question.id);
    decorate(IsOptional());
    decorate(
      ValidateBy({
        name: 'answer',
        validator: {
          validate: (value: unknown) => parseAnswer(question, value, 'json').ok,
          defaultMessage: (args) => {
            const parsed = parseAnswer(question, args?.value, 'json');
            return parsed.ok ? '' : parsed.message;
          },
        },
      }),
    );
    decorate(ApiPropertyOptional(schemaFor(question)));
  }
  return Generated;
}

function answersDto(questionnaire: Questionnaire): Dto {
  const Generated = class {};
  Object.defineProperty(Generated, 'name', { value: 'IntakeAnswersDto' });
  for (const section of questionnaire.sections) {
    const SectionDto = sectionDto(section);
    const decorate = (decorator: PropertyDecorator): void =>
      decorator(Generated.prototype, section.id);
    // A section may be left out; sent, it must be an object (null or a list would clear it).
    decorate(ValidateIf((_dto: object, value: unknown) => value !== undefined));
    const notAnObject = `${section.id} must be an object of answers.`;
    decorate(IsObject({ message: notAnObject }));
    decorate(ValidateNested({ message: notAnObject }));
    decorate(Type(() => SectionDto));
    decorate(
      ApiPropertyOptional({
        type: SectionDto,
        description: `${section.title}. A section sent replaces that section's answers; leave a question out (or null) to leave it unanswered.`,
      }),
    );
  }
  return Generated;
}

const pascal = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);

/** Body of PUT /api/intake/answers: any of the sections, each complete. */
export const IntakeAnswersDto: Dto = answersDto(loadContent().questionnaire);

export class IntakeProgressDto {
  @ApiProperty() answered!: number;
  @ApiProperty() applicable!: number;
  @ApiProperty() percent!: number;
}

export class IntakeResponseDto {
  @ApiProperty() questionnaireVersion!: string;
  @ApiProperty({ enum: PROTOCOLS }) protocol!: string;
  @ApiProperty({ enum: INTAKE_STATUSES }) status!: string;
  @ApiProperty({
    type: IntakeAnswersDto,
    description: 'Answers by section; unanswered questions are absent.',
  })
  answers!: Record<string, Record<string, unknown>>;
  @ApiProperty({ type: IntakeProgressDto }) progress!: IntakeProgressDto;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
}

export class IntakeSubmittedDto {
  @ApiProperty({ enum: ['submitted'] }) status!: 'submitted';
  @ApiProperty() submittedAt!: string;
  @ApiProperty({
    description: 'True when this intake had already been submitted (an idempotent repeat).',
  })
  repeated!: boolean;
}
