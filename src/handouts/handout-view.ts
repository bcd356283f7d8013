import { ClinicTime } from '../common/clinic-time';
import { PILLARS, Pillar } from '../common/pillar';
import { Protocol, PROTOCOL_LABELS } from '../common/protocol';
import { pillarCoverage, thinPillars, unansweredQuestions } from '../intake/questionnaire/coverage';
import { Answers, Questionnaire } from '../intake/questionnaire/questionnaire.types';
import { ARTICLES } from '../knowledge/article-rows';
import type { AssessmentResult, DiscussionPoint } from '../rules/evaluate';
import { INDICATOR_LABELS } from '../rules/knowledge-base.schema';
import type { HandoutKind } from './handout.entity';
import { pillarBars, pillarChartSvg } from './pillar-chart';

/*
 * What a handout says, built from the stored assessment: only what the rules
 * said, plus the header, the picture, unanswered questions and references.
 * Patients' free text (routineNotes) is never printed: the handout carries
 * product text only, which the dosing guard can vouch for.
 */

export interface HandoutFacts {
  readonly kind: HandoutKind;
  readonly clinicName: string;
  readonly patientName: string;
  readonly patientReference: string | null;
  readonly protocol: Protocol;
  readonly intakeDate: Date;
  readonly generatedAt: Date;
  readonly questionnaire: Questionnaire;
  readonly answers: Answers;
  readonly scores: Readonly<Record<string, unknown>>;
  readonly result: AssessmentResult;
  /** Dates as the clinic reads them. */
  readonly time: ClinicTime;
  /** The clinician's marks, by point id; unmarked points are absent. */
  readonly marks: Readonly<Record<string, PointMark>>;
}

export type PointMark = 'discussed' | 'not_relevant';

const PILLAR_TITLES: Readonly<Record<Pillar, string>> = {
  diet: 'Diet',
  exercise: 'Exercise and movement',
  sleep: 'Sleep',
  stress: 'Stress',
};

export interface HandoutView {
  readonly title: string;
  readonly kind: HandoutKind;
  readonly isClinician: boolean;
  readonly clinicName: string;
  readonly patientName: string;
  readonly patientReference: string | null;
  readonly protocolLabel: string;
  readonly intakeDay: string;
  readonly generatedDay: string;
  readonly rulesetVersion: string;
  readonly chartSvg: string;
  readonly pillars: readonly {
    title: string;
    points: readonly (DiscussionPoint & {
      indicatorLabel: string;
      sourceLabels: string[];
      discussed: boolean;
    })[];
  }[];
  /** The guide's points marked "not relevant": listed apart, by summary. */
  readonly setAside: readonly string[];
  readonly strengths: readonly (DiscussionPoint & { sourceLabels: string[] })[];
  readonly unanswered: readonly { title: string; questions: readonly string[] }[];
  readonly unansweredCount: number;
  readonly references: readonly { title: string; evidence: string; cited: boolean }[];
  readonly hasConcerns: boolean;
  /** Per pillar: how much was answered, and whether that is enough to assess it. */
  readonly coverage: readonly { title: string; line: string; enough: boolean }[];
  /** Pillars without enough answers, by title: never read as "no concerns". */
  readonly thinPillars: readonly string[];
}

export function handoutView(facts: HandoutFacts): HandoutView {
  const { result } = facts;
  const withSources = <P extends DiscussionPoint>(point: P) => ({
    ...point,
    sourceLabels: point.sources.map((s) => `${s.tableTitle}: ${s.rowLabel}`),
  });
  // A point marked "not relevant" leaves the patient's notes; the guide lists it apart.
  const allConcerns = result.points.filter((p) => p.kind === 'concern');
  const notRelevant = (p: DiscussionPoint) => facts.marks[p.ruleId] === 'not_relevant';
  const concerns = allConcerns.filter((p) => !notRelevant(p));
  const pillars = PILLARS.map((pillar) => ({
    title: PILLAR_TITLES[pillar],
    points: concerns
      .filter((p) => p.pillar === pillar)
      .map((p) => ({
        ...withSources(p),
        indicatorLabel: INDICATOR_LABELS[p.indicator],
        discussed: facts.marks[p.ruleId] === 'discussed',
      })),
  })).filter((group) => group.points.length > 0);

  const unanswered = unansweredQuestions(facts.questionnaire, facts.answers, facts.protocol);

  const coverage = pillarCoverage(facts.questionnaire, facts.answers, facts.protocol);
  // Pillars the handout says nothing about and cannot: from the points it shows (the patient's
  // notes leave out "not relevant" ones; the guide lists them, apart).
  const said = facts.kind === 'patient' ? concerns : allConcerns;
  const thin = new Set(thinPillars(coverage, new Set(said.map((point) => point.pillar))));
  const citedArticles = new Set(result.points.flatMap((p) => p.sources.map((s) => s.article)));
  return {
    title: facts.kind === 'clinician' ? 'Lifestyle discussion guide' : 'Your lifestyle notes',
    kind: facts.kind,
    isClinician: facts.kind === 'clinician',
    clinicName: facts.clinicName,
    patientName: facts.patientName,
    patientReference: facts.patientReference,
    protocolLabel: PROTOCOL_LABELS[facts.protocol],
    intakeDay: facts.time.day(facts.intakeDate) ?? '',
    generatedDay: facts.time.day(facts.generatedAt) ?? '',
    rulesetVersion: result.rulesetVersion,
    chartSvg: pillarChartSvg(pillarBars(facts.answers, facts.scores, facts.kind)),
    pillars,
    setAside:
      facts.kind === 'clinician' ? allConcerns.filter(notRelevant).map((p) => p.summary) : [],
    strengths: result.points.filter((p) => p.kind === 'strength').map(withSources),
    unanswered,
    unansweredCount: unanswered.reduce((n, s) => n + s.questions.length, 0),
    references: ARTICLES.map((a) => ({
      title: a.title,
      evidence: a.evidence,
      cited: citedArticles.has(a.id),
    })),
    hasConcerns: concerns.length > 0,
    coverage: coverage.map((c) => ({
      title: PILLAR_TITLES[c.pillar],
      line: `${c.answered} of ${c.applicable} answered${thin.has(c.pillar) ? ': not enough answers to assess' : ''}`,
      enough: !thin.has(c.pillar),
    })),
    thinPillars: [...thin].map((pillar) => PILLAR_TITLES[pillar]),
  };
}
