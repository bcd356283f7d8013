import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Post,
  Put,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPatient, Meta, PatientActor, Public, RequestMeta } from '../auth/actor';
import { ApiEndpoint } from '../common/api-endpoint';
import { ErrorCode } from '../common/domain-error';
import { createValidationPipe } from '../common/validation';
import {
  IntakeAnswersDto,
  IntakeProgressDto,
  IntakeResponseDto,
  IntakeSubmittedDto,
} from './intake-api.dto';
import { IntakeService } from './intake.service';
import { PatientGuard } from './patient-session.middleware';

/** The body's type is generated from the questionnaire, so the pipe is told it explicitly. */
const answersPipe: ValidationPipe = createValidationPipe(IntakeAnswersDto);

/**
 * The intake as JSON, for the patient's browser session (opened with the
 * link, like the pages): the same questions, checks and all-or-nothing saves.
 */
/** What a patient who answered a little sends and sees. */
const ANSWERS = {
  sleep: { hoursAsleep: 7.5, screensLastHour: 'some_nights' },
  exercise: { resistanceDaysPerWeek: 2 },
};
const PROGRESS = { answered: 3, applicable: 41, percent: 7 };

@ApiTags('intake (patient)')
@Public()
@UseGuards(PatientGuard)
@Controller('api/intake')
export class IntakeApiController {
  constructor(private readonly intakes: IntakeService) {}

  @Get()
  @ApiEndpoint({
    summary: 'The patient’s intake as it stands',
    description:
      'The questionnaire version, the answers saved so far by section (a blank question is absent), progress, and whether it was sent.',
    caller: 'patient',
    ok: {
      type: IntakeResponseDto,
      description: 'The intake',
      example: {
        questionnaireVersion: '2026-12.1',
        protocol: 'trt',
        status: 'in_progress',
        answers: ANSWERS,
        progress: PROGRESS,
        submittedAt: null,
      },
    },
    errors: [ErrorCode.ConsentRequired],
  })
  async get(@CurrentPatient() patient: PatientActor): Promise<IntakeResponseDto> {
    const { intake, questionnaire, answers, progress } = await this.intakes.state(patient);
    const bySection = Object.fromEntries(
      questionnaire.sections.map((section) => [
        section.id,
        Object.fromEntries(
          section.questions
            .filter((q) => answers[q.id] !== undefined)
            .map((q) => [q.id, answers[q.id]]),
        ),
      ]),
    );
    return {
      questionnaireVersion: intake.questionnaireVersion,
      protocol: intake.protocol,
      status: intake.status,
      answers: bySection,
      progress: {
        answered: progress.answered,
        applicable: progress.applicable,
        percent: progress.percent,
      },
      submittedAt: intake.submittedAt?.toISOString() ?? null,
    };
  }

  @Put('answers')
  @ApiEndpoint({
    summary: 'Save answers',
    description:
      'Any sections and questions, as given; all or nothing: one answer that does not read refuses the request (400, each problem at its field) and saves none of it. Sent twice, saved once.',
    caller: 'patient',
    body: { type: IntakeAnswersDto, example: ANSWERS },
    ok: { type: IntakeProgressDto, description: 'Progress after the save', example: PROGRESS },
    errors: [ErrorCode.ValidationFailed, ErrorCode.ConsentRequired, ErrorCode.Conflict],
  })
  async save(
    @CurrentPatient() patient: PatientActor,
    @Body(answersPipe) body: Record<string, Record<string, unknown>>,
    @Meta() meta: RequestMeta,
  ): Promise<IntakeProgressDto> {
    const progress = await this.intakes.saveSections(patient, body, 'json', meta);
    return {
      answered: progress.answered,
      applicable: progress.applicable,
      percent: progress.percent,
    };
  }

  @Post('submit')
  @ApiEndpoint({
    summary: 'Send the intake to the clinic',
    description:
      'Freezes the answers with the questionnaire version, scores the instruments and assesses them. Required questions left blank are named (400). Sent twice, sent once: the repeat says `repeated: true`.',
    caller: 'patient',
    ok: {
      status: HttpStatus.CREATED,
      type: IntakeSubmittedDto,
      description: 'Sent',
      example: { status: 'submitted', submittedAt: '2026-12-02T19:31:00.000Z', repeated: false },
    },
    errors: [ErrorCode.ValidationFailed, ErrorCode.ConsentRequired],
  })
  async submit(
    @CurrentPatient() patient: PatientActor,
    @Meta() meta: RequestMeta,
  ): Promise<IntakeSubmittedDto> {
    const { submittedAt, repeated } = await this.intakes.submit(patient, meta);
    return { status: 'submitted', submittedAt: submittedAt.toISOString(), repeated };
  }
}
