import { PILLAR_LABELS, PILLARS } from '../../common/pillar';
import { Protocol, PROTOCOL_LABELS } from '../../common/protocol';
import { reviewView } from '../patient/intake-view';
import {
  pillarCoverage,
  thinPillars,
  unansweredQuestions,
} from '../../intake/questionnaire/coverage';
import { Answers, Questionnaire } from '../../content/schema/questionnaire.schema';
import { scoreSummary } from '../../reviews/score-summary';
import type { IntakeReview } from '../../reviews/reviews.service';
import type { AssessmentResult, DiscussionPoint } from '../../rules/evaluate';
import { INDICATOR_LABELS } from '../../content/schema/rules.schema';
import { ClinicTime } from '../../common/clinic-time';
import { plural } from '../plural';
import { STATUS_LABELS } from './patient-list-view';
import type { Content } from '../../content/content';
import type { IntakeEntity } from '../../intakes/intake.entity';

const MARK_LABELS = { discussed: 'Discussed', not_relevant: 'Not relevant' } as const;

/** What the form shows for a point: the stored review, or what was just refused. */
export interface PointFormState {
  readonly pointId: string;
  readonly mark?: string;
  readonly reason?: string;
  readonly note?: string;
  readonly problems: readonly { field: string; message: string }[];
}

/** The id of a point's article on the page: a fragment links straight to it. */
export const anchorOf = (ruleId: string): string => `point-${ruleId.replace(/[^\w-]/g, '-')}`;

/**
 * The intake review page: scores with bands, the points by pillar with why
 * and source and each one's mark and note, strengths, the answers as
 * questions and answers, and the handout links. `refused` is a point's form
 * shown again; `confirmComplete` asks before closing a review with points
 * left unmarked.
 */
export function intakeReviewView(
  review: IntakeReview,
  content: Content,
  time: ClinicTime,
  options: { refused?: PointFormState; confirmComplete?: boolean } = {},
) {
  const { refused } = options;
  const day = (date: Date | null) => time.day(date);
  const { intake, patient, assessment } = review;
  const result = assessment?.results as unknown as AssessmentResult | undefined;
  const reviews = new Map(review.reviews.map((r) => [r.pointId, r]));
  const pointView = (point: DiscussionPoint) => {
    const stored = reviews.get(point.ruleId);
    const form = refused?.pointId === point.ruleId ? refused : undefined;
    const mark = form ? form.mark : (stored?.mark ?? undefined);
    /** The messages for one field of this point's form, shown next to it; undefined when none. */
    const errorOf = (field: 'mark' | 'reason' | 'note'): string | undefined => {
      const messages = (form?.problems ?? [])
        .filter((problem) => problem.field === `${field}-${point.ruleId}`)
        .map((problem) => problem.message);
      return messages.length > 0 ? messages.join(' ') : undefined;
    };
    return {
      ...point,
      anchor: anchorOf(point.ruleId),
      indicatorLabel: INDICATOR_LABELS[point.indicator],
      markLabel: stored?.mark ? MARK_LABELS[stored.mark] : undefined,
      stored: stored && {
        reason: stored.reason,
        note: stored.note,
        by: stored.updatedByName,
        at: time.minute(stored.updatedAt),
      },
      form: {
        markDiscussed: mark === 'discussed',
        markNotRelevant: mark === 'not_relevant',
        markNone: !mark,
        reason: form ? form.reason : (stored?.reason ?? ''),
        note: form ? form.note : (stored?.note ?? ''),
        problems: form?.problems ?? [],
        markError: errorOf('mark'),
        reasonError: errorOf('reason'),
        noteError: errorOf('note'),
      },
    };
  };
  const concerns = result?.points.filter((p) => p.kind === 'concern') ?? [];
  const questionnaire = content.questionnaireVersion(intake.questionnaireVersion);
  const marked = concerns.filter((p) => reviews.get(p.ruleId)?.mark).length;
  return {
    title: `Intake of ${patient.givenName} ${patient.familyName}`,
    patient,
    intake: {
      id: intake.id,
      status: intake.status,
      statusLabel: STATUS_LABELS[intake.status],
      protocolLabel: PROTOCOL_LABELS[intake.protocol],
      startedDay: day(intake.createdAt),
      submittedDay: day(intake.submittedAt),
      reviewedDay: day(intake.reviewedAt),
      canComplete: intake.status === 'submitted',
      inProgress: intake.status === 'in_progress',
      consentLine: consentLine(intake, time),
    },
    assessment: assessment && {
      id: assessment.id,
      rulesetVersion: assessment.rulesetVersion,
      assessedDay: day(assessment.createdAt),
    },
    scores: intake.status === 'in_progress' ? [] : scoreSummary(intake.scores),
    pillars: PILLARS.map((pillar) => ({
      id: pillar,
      title: PILLAR_LABELS[pillar],
      points: concerns.filter((p) => p.pillar === pillar).map(pointView),
    })).filter((group) => group.points.length > 0),
    pointsMarkedLine: `${marked} of ${plural(concerns.length, 'discussion point')} marked`,
    unmarked: plural(concerns.length - marked, 'point'),
    confirmComplete:
      options.confirmComplete && intake.status === 'submitted' && marked < concerns.length,
    strengths: result?.points.filter((p) => p.kind === 'strength') ?? [],
    screenNotes: result?.screenNotes ?? [],
    answers: reviewView(questionnaire, intake.answers as Answers, intake.protocol),
    coverage: coverageView(questionnaire, intake.answers as Answers, intake.protocol, concerns),
    unanswered: unansweredQuestions(questionnaire, intake.answers as Answers, intake.protocol),
    // The patient's own words: for the clinician's eyes here, never printed in a handout.
    notes: questionnaire.sections
      .flatMap((section) => section.questions)
      .filter((q) => q.type === 'text' && typeof intake.answers[q.id] === 'string')
      .map((q) => ({ label: q.label, text: intake.answers[q.id] as string })),
    handouts:
      assessment &&
      [
        { kind: 'clinician', label: 'Clinician discussion guide' },
        { kind: 'patient', label: 'Patient notes' },
      ].map((handout) => ({
        ...handout,
        a4: `/assessments/${assessment.id}/handouts/${handout.kind}?paper=a4`,
        letter: `/assessments/${assessment.id}/handouts/${handout.kind}?paper=letter`,
      })),
  };
}

/** Per pillar: how much was answered, and what can be said of it from that. */
function coverageView(
  questionnaire: Questionnaire,
  answers: Answers,
  protocol: Protocol,
  concerns: readonly DiscussionPoint[],
) {
  const coverage = pillarCoverage(questionnaire, answers, protocol);
  const withPoints = new Set(concerns.map((point) => point.pillar));
  const thin = new Set(thinPillars(coverage, withPoints));
  return coverage.map((c) => ({
    ...c,
    title: PILLAR_LABELS[c.pillar],
    thin: thin.has(c.pillar),
    assessment: thin.has(c.pillar)
      ? 'Not enough answers to assess'
      : !withPoints.has(c.pillar)
        ? 'No concerns from the answers given'
        : c.enough
          ? 'See the points below'
          : 'Partly answered: see the points below',
  }));
}

/** What the patient agreed to, and when; intakes from before consent was asked say so. */
export function consentLine(
  intake: Pick<IntakeEntity, 'consentVersion' | 'consentedAt' | 'status'>,
  time: ClinicTime,
): string {
  if (intake.consentVersion !== null && intake.consentedAt) {
    return `agreed to privacy notice version ${intake.consentVersion} on ${time.minute(intake.consentedAt)}`;
  }
  return intake.status === 'in_progress'
    ? 'not given yet'
    : 'not recorded (before consent was asked)';
}
