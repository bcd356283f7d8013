import { Body, Controller, Get, Post, Put, UseGuards, ValidationPipe } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPatient, Meta, PatientActor, Public, RequestMeta } from '../auth/actor';
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
@ApiTags('intake (patient)')
@ApiCookieAuth()
@Public()
@UseGuards(PatientGuard)
@Controller('api/intake')
export class IntakeApiController {
  constructor(private readonly intakes: IntakeService) {}

  @Get()
  @ApiOkResponse({ type: IntakeResponseDto })
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
  @ApiBody({ type: IntakeAnswersDto })
  @ApiOkResponse({ type: IntakeProgressDto })
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
  @ApiOkResponse({ type: IntakeSubmittedDto })
  async submit(
    @CurrentPatient() patient: PatientActor,
    @Meta() meta: RequestMeta,
  ): Promise<IntakeSubmittedDto> {
    const { submittedAt, repeated } = await this.intakes.submit(patient, meta);
    return { status: 'submitted', submittedAt: submittedAt.toISOString(), repeated };
  }
}
