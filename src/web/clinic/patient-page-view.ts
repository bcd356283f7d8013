import { PILLAR_LABELS } from '../common/pillar';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { PROTOCOL_LABELS } from '../common/protocol';
import { IntakeEntity } from '../intakes/intake.entity';
import type { AssessmentResult } from '../rules/evaluate';
import { STATUS_LABELS } from './patient-list-view';
import { trendCharts } from './trend-chart';
import { trendSeries } from './trend-series';

const day = (date: Date | null): string | undefined => date?.toISOString().slice(0, 10);

/**
 * The patient page's history: every intake with its status (newest first),
 * the latest submitted one's assessment in brief, and trend charts across the
 * submitted intakes (shown from two on: one point is not a trend).
 */
export function patientHistoryView(
  intakes: readonly IntakeEntity[],
  latest: IntakeEntity | undefined,
  latestAssessment: AssessmentEntity | undefined,
) {
  const submitted = intakes.filter((intake) => intake.submittedAt !== null);
  const result = latestAssessment?.results as unknown as AssessmentResult | undefined;
  const concerns = result?.points.filter((point) => point.kind === 'concern') ?? [];
  return {
    intakes: [...intakes].reverse().map((intake) => ({
      id: intake.id,
      protocolLabel: PROTOCOL_LABELS[intake.protocol],
      status: intake.status,
      statusLabel: STATUS_LABELS[intake.status],
      startedDay: day(intake.createdAt),
      submittedDay: day(intake.submittedAt),
    })),
    latest: latest && {
      intakeId: latest.id,
      submittedDay: day(latest.submittedAt),
      status: latest.status,
      statusLabel: STATUS_LABELS[latest.status],
      concernCount: concerns.length,
      strengthCount: (result?.points.length ?? 0) - concerns.length,
      flagged: (latestAssessment?.flaggedPillars ?? []).map((pillar) => PILLAR_LABELS[pillar]),
      topPoints: concerns.slice(0, 3).map((point) => point.summary),
      assessmentId: latestAssessment?.id,
    },
    trends:
      submitted.length >= 2
        ? trendCharts(
            trendSeries(
              submitted.map((intake) => ({
                submittedAt: intake.submittedAt!,
                answers: intake.answers,
                scores: intake.scores,
              })),
            ),
          )
        : [],
    submittedCount: submitted.length,
  };
}
