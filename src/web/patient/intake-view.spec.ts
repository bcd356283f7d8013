import { progressOf } from '../../intake/questionnaire/answers';
import { nameProblems, resumeStep, stepView } from './intake-view';
import { loadContent } from '../../content/content';

const questionnaire = loadContent().questionnaire;
const context = { sex: 'female', ageBand: '30-39' };

describe('resumeStep', () => {
  it('starts on the first step when nothing was saved', () => {
    expect(resumeStep(questionnaire, null, {}, 'trt')).toBe('context');
  });

  it('goes back to the step last saved, even half-finished', () => {
    expect(resumeStep(questionnaire, 'diet', { ...context, healthyFats: 'most_days' }, 'trt')).toBe(
      'diet',
    );
  });

  it('goes to an earlier step while it has a required question unanswered', () => {
    expect(resumeStep(questionnaire, 'sleep', { hoursAsleep: 7 }, 'trt')).toBe('context');
  });
});

describe('the error summary names the question', () => {
  const diet = questionnaire.sections.find((section) => section.id === 'diet')!;
  const problems = [
    { field: 'oilyFishServingsPerWeek', message: 'Enter a number from 0 to 21 (servings a week).' },
    {
      field: 'cruciferousServingsPerWeek',
      message: 'Enter a number from 0 to 21 (servings a week).',
    },
  ];

  it('on a step: two problems never read alike, and each links to its field here', () => {
    const progress = progressOf(questionnaire, {}, 'trt');
    const view = stepView(questionnaire, diet, {}, problems, 'trt', progress);
    expect(view.problems.map((p) => p.href)).toEqual([
      '#field-oilyFishServingsPerWeek',
      '#field-cruciferousServingsPerWeek',
    ]);
    expect(new Set(view.problems.map((p) => p.message)).size).toBe(2);
    expect(view.problems[0].message).toMatch(/^How many servings of oily fish .* — enter a number/);
    // Next to the field, the message alone: the question is right above it.
    expect(view.questions.find((q) => q.id === 'oilyFishServingsPerWeek')?.error).toBe(
      'Enter a number from 0 to 21 (servings a week).',
    );
  });

  it('at sending: each required question left blank links to the step that asks it', () => {
    const named = nameProblems(
      questionnaire,
      [{ field: 'sex', message: 'Answer this question before sending.' }],
      'its step',
    );
    expect(named[0].href).toBe('/intake/context#field-sex');
    expect(named[0].message).toMatch(/ — answer this question before sending\.$/);
  });
});
