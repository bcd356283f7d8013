import { ClinicTime } from '../common/clinic-time';
import { PILLARS, Pillar } from '../common/pillar';
import { Protocol, PROTOCOL_LABELS } from '../common/protocol';
import { pillarCoverage, thinPillars, unansweredQuestions } from '../intake/questionnaire/coverage';
import { Answers, Questionnaire } from '../content/schema/questionnaire.schema';
import type { Article } from '../content/schema/articles.schema';
import { plural } from '../web/plural';
import type { AssessmentResult, DiscussionPoint } from '../rules/evaluate';
import { INDICATOR_LABELS } from '../content/schema/rules.schema';
import type { HandoutKind } from './handout.entity';
import { barState, pillarBars, pillarChartSvg } from './pillar-chart';
import type { KnowledgeBase } from '../content/check-knowledge-base';
import { discussFirst, pillarsOfGoals } from '../rules/discuss-first';

/*
 * What a handout says, built from the stored assessment: only what the rules
 * said, plus the header, the picture, unanswered questions and references.
 * Patients' free text (routineNotes) is never printed: the handout carries
 * product text only, which the dosing guard can vouch for.
 */

export interface HandoutFacts {
  /** The source articles, for the reference list. */
  readonly articles: readonly Article[];
  /** What ranks the points and explains a bar without one. */
  readonly knowledge: Pick<KnowledgeBase, 'goalPillars' | 'barNotes'>;
  readonly kind: HandoutKind;
  readonly clinicName: string;
  readonly patientName: string;
  readonly patientReference: string | null;
  readonly protocol: Protocol;
  readonly intakeDate: Date;
  /** The privacy notice version the patient agreed to, and when; null before consent was asked. */
  readonly consent: { readonly version: number; readonly at: Date } | null;
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
  /** The guide's footer says what the patient agreed to; empty in the patient's notes. */
  readonly consentLine: string;
  readonly chartSvg: string;
  /** Why a bar short of its target has no point: the articles give this protocol no row on it. */
  readonly barNotes: readonly { pillar: string; text: string }[];
  /** Screens that fired with no article row to make a point of them: the guide only. */
  readonly screenNotes: readonly { summary: string; detail: string }[];
  /** The points to raise first, ranked across pillars (at most five). */
  readonly first: readonly (DiscussionPoint & {
    indicatorLabel: string;
    pillarTitle: string;
    sourceLabels: string[];
    rowLabels: string[];
    discussed: boolean;
  })[];
  /** The rest, by pillar. */
  readonly pillars: readonly {
    title: string;
    points: readonly (DiscussionPoint & {
      indicatorLabel: string;
      sourceLabels: string[];
      rowLabels: string[];
      discussed: boolean;
    })[];
  }[];
  /** The guide's points marked "not relevant": listed apart, by summary. */
  readonly setAside: readonly string[];
  readonly strengths: readonly (DiscussionPoint & {
    sourceLabels: string[];
    rowLabels: string[];
  })[];
  /**
   * The patient's notes: what was left off to keep them to two pages, as
   * "3 more topics" (the clinician's guide has them all); empty when nothing was.
   */
  readonly moreTopics: string;
  readonly unanswered: readonly { title: string; questions: readonly string[] }[];
  readonly unansweredCount: number;
  readonly references: readonly { title: string; evidence: string; cited: boolean }[];
  readonly hasConcerns: boolean;
  /** Per pillar: how much was answered, and whether that is enough to assess it. */
  readonly coverage: readonly { title: string; line: string; enough: boolean }[];
  /** Pillars without enough answers, by title: never read as "no concerns". */
  readonly thinPillars: readonly string[];
}

/** Concerns the patient's notes list after the first five; the rest are counted, not printed. */
export const PATIENT_MORE_LIMIT = 4;
/** Strengths the patient's notes list, highest priority first. */
export const PATIENT_STRENGTHS_LIMIT = 5;

export function handoutView(facts: HandoutFacts): HandoutView {
  const { result } = facts;
  const withSources = <P extends DiscussionPoint>(point: P) => ({
    ...point,
    sourceLabels: point.sources.map((s) => `${s.tableTitle}: ${s.rowLabel}`),
    rowLabels: point.sources.map((s) => s.rowLabel),
  });
  // A point marked "not relevant" leaves the patient's notes; the guide lists it apart.
  const allConcerns = result.points.filter((p) => p.kind === 'concern');
  const notRelevant = (p: DiscussionPoint) => facts.marks[p.ruleId] === 'not_relevant';
  const concerns = allConcerns.filter((p) => !notRelevant(p));
  const decorate = (p: DiscussionPoint) => ({
    ...withSources(p),
    indicatorLabel: INDICATOR_LABELS[p.indicator],
    pillarTitle: PILLAR_TITLES[p.pillar],
    discussed: facts.marks[p.ruleId] === 'discussed',
  });
  const first = discussFirst(
    concerns,
    pillarsOfGoals(facts.answers.goals, facts.knowledge.goalPillars),
  );
  // The patient's notes keep to two pages: the first five, and a few more, in full.
  const rest = concerns
    .filter((p) => !first.includes(p))
    .slice(0, facts.kind === 'patient' ? PATIENT_MORE_LIMIT : undefined);
  const moreCount = concerns.length - first.length - rest.length;
  const pillars = PILLARS.map((pillar) => ({
    title: PILLAR_TITLES[pillar],
    points: rest.filter((p) => p.pillar === pillar).map(decorate),
  })).filter((group) => group.points.length > 0);
  const bars = pillarBars(facts.answers, facts.scores, facts.kind);
  const explained = new Set(concerns.map((p) => p.pillar));
  const barNotes = bars
    .filter((bar) => barState(bar) === 'short' && !explained.has(bar.key))
    .flatMap((bar) => {
      const note = facts.knowledge.barNotes.find(
        (n) => n.pillar === bar.key && n.protocols.includes(facts.protocol),
      );
      if (!note) return [];
      return [
        { pillar: bar.pillar, text: facts.kind === 'clinician' ? note.clinician : note.patient },
      ];
    });

  const unanswered = unansweredQuestions(facts.questionnaire, facts.answers, facts.protocol);

  const coverage = pillarCoverage(facts.questionnaire, facts.answers, facts.protocol);
  // Pillars the handout says nothing about and cannot: from the points it shows (the patient's
  // notes leave out "not relevant" ones; the guide lists them, apart).
  const said = facts.kind === 'patient' ? concerns : allConcerns;
  const thin = new Set(thinPillars(coverage, new Set(said.map((point) => point.pillar))));
  const strengths = result.points
    .filter((p) => p.kind === 'strength')
    .slice(0, facts.kind === 'patient' ? PATIENT_STRENGTHS_LIMIT : undefined);
  // The sources of what the handout says: the patient's notes leave out the points set aside,
  // and with them the articles only those points rested on.
  const cited = facts.kind === 'patient' ? [...concerns, ...strengths] : result.points;
  const citedArticles = new Set(cited.flatMap((p) => p.sources.map((s) => s.article)));
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
    consentLine:
      facts.kind !== 'clinician'
        ? ''
        : facts.consent
          ? `Consent: notice version ${facts.consent.version} agreed ${facts.time.minute(facts.consent.at)}`
          : 'Consent: not recorded (before consent was asked)',
    chartSvg: pillarChartSvg(bars),
    barNotes,
    screenNotes: facts.kind === 'clinician' ? (result.screenNotes ?? []) : [],
    first: first.map(decorate),
    pillars,
    setAside:
      facts.kind === 'clinician' ? allConcerns.filter(notRelevant).map((p) => p.summary) : [],
    strengths: strengths.map(withSources),
    moreTopics: moreCount > 0 ? plural(moreCount, 'more topic', 'more topics') : '',
    unanswered,
    unansweredCount: unanswered.reduce((n, s) => n + s.questions.length, 0),
    references: facts.articles.map((a) => ({
      // The patient's notes name the articles in plain words.
      title: facts.kind === 'patient' ? a.plainTitle : a.title,
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
