import { CURRENT_QUESTIONNAIRE } from './questionnaire';
import { MIN_ANSWERED_SHARE, pillarCoverage, thinPillars, unansweredQuestions } from './coverage';

describe('pillarCoverage', () => {
  it('says a pillar with few answers is not enough to assess, whatever the others say', () => {
    // Four answers in all: the case that read "No concerns from the answers given".
    const coverage = pillarCoverage(
      CURRENT_QUESTIONNAIRE,
      { sex: 'male', ageBand: '40-49', hoursAsleep: 7.5, healthyFats: 'most_days' },
      'trt',
    );
    expect(thinPillars(coverage, new Set())).toEqual(['diet', 'exercise', 'sleep', 'stress']);
    // A pillar something was said about has been assessed, however partly.
    expect(thinPillars(coverage, new Set(['sleep']))).toEqual(['diet', 'exercise', 'stress']);
    const sleep = coverage.find((c) => c.pillar === 'sleep')!;
    expect(sleep.answered).toBe(1);
    const blank = unansweredQuestions(CURRENT_QUESTIONNAIRE, { hoursAsleep: 7.5 }, 'trt');
    expect(blank.find((s) => s.id === 'sleep')?.questions).toHaveLength(sleep.applicable - 1);
  });

  it('counts only the questions that apply, and calls a pillar enough from half of them', () => {
    const stress = CURRENT_QUESTIONNAIRE.sections.find((s) => s.id === 'stress')!;
    const pss = Object.fromEntries(
      stress.questions.filter((q) => q.id.startsWith('pss')).map((q) => [q.id, 2]),
    );
    const coverage = pillarCoverage(CURRENT_QUESTIONNAIRE, pss, 'trt');
    const row = coverage.find((c) => c.pillar === 'stress')!;
    expect(row.answered).toBe(10);
    expect(row.enough).toBe(row.answered >= row.applicable * MIN_ANSWERED_SHARE);
    expect(row.enough).toBe(true);
  });
});
