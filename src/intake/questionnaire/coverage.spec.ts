import { loadContent } from '../../content/content';
import { MIN_ANSWERED_SHARE, pillarCoverage, thinPillars, unansweredQuestions } from './coverage';

describe('pillarCoverage', () => {
  it('says a pillar with few answers is not enough to assess, whatever the others say', () => {
    // Four answers in all: the case that read "No concerns from the answers given".
    const coverage = pillarCoverage(
      loadContent().questionnaire,
      { sex: 'male', ageBand: '40-49', hoursAsleep: 7.5, healthyFats: 'most_days' },
      'trt',
    );
    expect(thinPillars(coverage, new Set())).toEqual(['diet', 'exercise', 'sleep', 'stress']);
    // A pillar something was said about has been assessed, however partly.
    expect(thinPillars(coverage, new Set(['sleep']))).toEqual(['diet', 'exercise', 'stress']);
    const sleep = coverage.find((c) => c.pillar === 'sleep')!;
    expect(sleep.answered).toBe(1);
    const blank = unansweredQuestions(loadContent().questionnaire, { hoursAsleep: 7.5 }, 'trt');
    expect(blank.find((s) => s.id === 'sleep')?.questions).toHaveLength(sleep.applicable - 1);
  });

  it('calls a pillar enough from half of the questions that apply, and not one answer fewer', () => {
    expect(MIN_ANSWERED_SHARE).toBe(0.5);
    const stress = loadContent().questionnaire.sections.find((s) => s.id === 'stress')!;
    const counted = stress.questions.filter((q) => q.type !== 'text' && !q.showIf);
    const half = Math.ceil(counted.length / 2);
    const answer = (n: number) => Object.fromEntries(counted.slice(0, n).map((q) => [q.id, 2])); // PSS-10 items come first
    const row = (n: number) =>
      pillarCoverage(loadContent().questionnaire, answer(n), 'trt').find(
        (c) => c.pillar === 'stress',
      )!;
    expect(row(half)).toMatchObject({ answered: half, enough: true });
    expect(row(half - 1)).toMatchObject({ answered: half - 1, enough: false });
  });
});
