import { ClinicTime } from '../../common/clinic-time';
import { loadContent } from '../../content/content';
import { Answers } from '../../content/schema/questionnaire.schema';
import { handoutView, PointMark } from '../../handouts/handout-view';
import { scoreIntake } from '../../intake/scoring';
import { evaluate } from '../../rules/evaluate';
import { takeHomeView } from './take-home-view';

const content = loadContent();
// Short sleep, screens late, heavy drinking, few vegetables, regular strength training.
const answers = {
  sex: 'male',
  ageBand: '40-49',
  auditFrequency: 4,
  auditTypicalDrinks: 2,
  auditSixOrMore: 3,
  vegetableFruitServingsPerDay: 2,
  resistanceDaysPerWeek: 3,
  resistanceMinutesPerSession: 45,
  hoursAsleep: 5.5,
  screensLastHour: 'most_nights',
} as unknown as Answers;
const scores = scoreIntake(answers) as unknown as Record<string, unknown>;
const result = evaluate(content.knowledgeBase, {
  questionnaire: content.questionnaire,
  answers,
  scores,
  protocol: 'trt',
});
const concerns = result.points.filter((point) => point.kind === 'concern');

const notes = (marks: Record<string, PointMark>) =>
  handoutView({
    kind: 'patient',
    clinicName: 'Clinic',
    consent: null,
    patientName: 'Pat Example',
    patientReference: null,
    protocol: 'trt',
    intakeDate: new Date('2026-12-01T10:00:00Z'),
    generatedAt: new Date('2026-12-06T10:00:00Z'),
    articles: content.articles,
    knowledge: content.knowledgeBase,
    questionnaire: content.questionnaire,
    answers,
    scores,
    result,
    marks,
    time: ClinicTime.of('UTC'),
  });

describe('takeHomeView: the patient notes handout, as a page', () => {
  it('says the points the notes keep, and leaves out one marked not relevant', () => {
    expect(concerns.length).toBeGreaterThanOrEqual(2);
    const [kept, excluded] = concerns;
    const page = takeHomeView(
      notes({ [kept.ruleId]: 'discussed', [excluded.ruleId]: 'not_relevant' }),
    );
    const said = [...page.first, ...page.also];
    expect(said).toContain(kept.patientText);
    expect(said).not.toContain(excluded.patientText);
    expect(said).toHaveLength(concerns.length - 1);
    expect(page.hasConcerns).toBe(true);
  });

  it('lists the strengths, the cited articles in plain words, and both papers to download', () => {
    const page = takeHomeView(notes({}));
    const strengths = result.points.filter((point) => point.kind === 'strength');
    expect(page.strengths).toEqual(strengths.map((point) => point.patientText).slice(0, 5));
    const cited = new Set(result.points.flatMap((p) => p.sources.map((s) => s.article)));
    expect(page.references).toEqual(
      content.articles.filter((a) => cited.has(a.id)).map((a) => a.plainTitle),
    );
    expect(page.downloads.map((d) => d.paper)).toEqual(['a4', 'letter']);
    expect(page.intakeDay).toBe('2026-12-01');
  });

  it('cites only the articles behind what it says: none that only a point set aside rested on', () => {
    const all = Object.fromEntries(concerns.map((p) => [p.ruleId, 'not_relevant' as const]));
    const page = takeHomeView(notes(all));
    const strengths = result.points.filter((point) => point.kind === 'strength').slice(0, 5);
    const cited = new Set(strengths.flatMap((p) => p.sources.map((s) => s.article)));
    const onlyConcerns = new Set(
      concerns.flatMap((p) => p.sources.map((s) => s.article)).filter((a) => !cited.has(a)),
    );
    expect(onlyConcerns.size).toBeGreaterThan(0);
    expect(page.references).toEqual(
      content.articles.filter((a) => cited.has(a.id)).map((a) => a.plainTitle),
    );
  });

  it('with every point marked not relevant, says nothing stood out', () => {
    const all = Object.fromEntries(concerns.map((p) => [p.ruleId, 'not_relevant' as const]));
    const page = takeHomeView(notes(all));
    expect([...page.first, ...page.also]).toEqual([]);
    expect(page.hasConcerns).toBe(false);
  });
});
