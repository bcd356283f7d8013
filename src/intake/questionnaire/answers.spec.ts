import {
  displayAnswer,
  isShown,
  parseAnswer,
  progressOf,
  readSection,
  replaceSection,
} from './answers';
import { sectionOf } from './questionnaire';
import { loadContent } from '../../content/content';
import { questionnaireProblems } from '../../content/check-questionnaire';
import { Question, Questionnaire, Section } from '../../content/schema/questionnaire.schema';

const question = (id: string): Question => {
  const found = loadContent()
    .questionnaire.sections.flatMap((s) => s.questions)
    .find((q) => q.id === id);
  if (!found) throw new Error(`no question ${id}`);
  return found;
};
const section = (id: string): Section => sectionOf(loadContent().questionnaire, id)!;

describe('parseAnswer', () => {
  it.each([
    ['hoursAsleep', '7.5', 'form', 7.5],
    ['hoursAsleep', '7,5', 'form', 7.5],
    ['hoursAsleep', 7, 'json', 7],
    ['auditFrequency', '3', 'form', 3],
    ['auditFrequency', 3, 'json', 3],
    ['sex', 'female', 'form', 'female'],
    ['weekdayBedtime', '23:45', 'form', '23:45'],
    ['loudSnoring', 'not_sure', 'form', 'not_sure'],
    ['bedroom', ['quiet', 'dark'], 'form', ['dark', 'quiet']],
    ['bedroom', 'cool', 'form', ['cool']],
    ['routineNotes', '  night shifts twice a week  ', 'form', 'night shifts twice a week'],
  ] as const)('%s: %j from %s reads as %j', (id, raw, source, expected) => {
    expect(parseAnswer(question(id), raw, source)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['hoursAsleep', ''],
    ['hoursAsleep', null],
    ['hoursAsleep', undefined],
    ['bedroom', []],
    ['bedroom', ['']],
    ['loudSnoring', '   '],
  ])('%s: blank %j stays blank, never "no" or 0', (id, raw) => {
    expect(parseAnswer(question(id), raw, 'form')).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ['hoursAsleep', '17', 'form', 'Enter a number from 0 to 16 (hours).'],
    ['hoursAsleep', '7.25', 'form', 'Enter a whole or half number, like 7 or 7.5.'],
    ['hoursAsleep', 'seven', 'form', 'Enter a number of hours.'],
    ['hoursAsleep', '7', 'json', 'Enter a number.'],
    ['resistanceDaysPerWeek', '2.5', 'form', 'Enter a whole number.'],
    ['auditFrequency', '5', 'form', 'Choose one of the options.'],
    ['auditFrequency', '3', 'json', 'Choose one of the options.'],
    ['weekdayBedtime', '24:00', 'form', 'Enter a time like 22:30 (24-hour clock).'],
    ['loudSnoring', 'maybe', 'form', 'Choose yes, no or not sure.'],
    ['bedroom', ['dark', 'none'], 'form', '"None of these" cannot be combined with other choices.'],
    ['bedroom', ['disco'], 'form', 'Choose from the options.'],
    ['bedroom', 'dark', 'json', 'Send a list of options.'],
    ['routineNotes', 'x'.repeat(501), 'form', 'Use at most 500 characters (you used 501).'],
    ['routineNotes', 42, 'json', 'Enter text.'],
  ] as const)('%s: refuses %j from %s', (id, raw, source, message) => {
    expect(parseAnswer(question(id), raw, source)).toEqual({ ok: false, message });
  });

  it('keeps line breaks in a text answer and composes it (NFC)', () => {
    expect(
      parseAnswer(question('routineNotes'), ' Night shifts.\r\nZoe\u0308 cares. ', 'form'),
    ).toEqual({
      ok: true,
      value: 'Night shifts.\r\nZo\u00eb cares.',
    });
  });

  it.each([
    ['a right-to-left override', 'shift\u202ework', /right-to-left override/],
    ['a zero-width space', 'night\u200bshift', /zero-width space/],
    ['a tab', 'night\tshift', /a tab/],
    ['stacked marks', 'Z\u0351\u0352\u0353algo', /at most 2/],
  ])('refuses a text answer with %s, saying why', (_what, raw, message) => {
    expect(parseAnswer(question('routineNotes'), raw, 'form')).toEqual({
      ok: false,
      message: expect.stringMatching(message),
    });
  });
});

describe('conditions', () => {
  it('asks the drinking follow-ups only of someone who drinks; blank never satisfies', () => {
    const followUp = question('auditTypicalDrinks');
    expect(isShown(followUp, { auditFrequency: 2 }, 'trt')).toBe(true);
    expect(isShown(followUp, { auditFrequency: 0 }, 'trt')).toBe(false);
    expect(isShown(followUp, {}, 'trt')).toBe(false);
  });

  it('asks about exercise timing around administration only on peptide therapy', () => {
    const timing = question('exerciseTimingVsPeptide');
    expect(isShown(timing, {}, 'gh_peptide_therapy')).toBe(true);
    expect(isShown(timing, {}, 'trt')).toBe(false);
  });
});

describe('readSection', () => {
  it('keeps answers, drops blanks and answers to questions that do not apply', () => {
    const { answers, problems } = readSection(
      section('diet'),
      {
        auditFrequency: '0',
        auditTypicalDrinks: '2',
        healthyFats: 'most_days',
        oilyFishServingsPerWeek: '',
      },
      'form',
      'trt',
    );
    expect(problems).toEqual([]);
    expect(answers).toEqual({ auditFrequency: 0, healthyFats: 'most_days' });
  });

  it('names every bad field, unknown fields included, and a required question left blank', () => {
    const { problems } = readSection(
      section('context'),
      { ageBand: '12-17', favouriteColour: 'blue' },
      'form',
      'trt',
    );
    expect(problems).toEqual([
      { field: 'favouriteColour', message: 'favouriteColour is not a question of this step.' },
      { field: 'ageBand', message: 'Choose one of the options.' },
      { field: 'sex', message: 'Answer this question to continue.' },
    ]);
  });

  it('refuses a wake time equal to the bedtime, on the wake-time field', () => {
    const { answers, problems } = readSection(
      section('sleep'),
      {
        weekdayBedtime: '23:00',
        weekdayWakeTime: '23:00',
        weekendBedtime: '23:00',
        weekendWakeTime: '07:00',
      },
      'form',
      'trt',
    );
    expect(problems).toEqual([
      { field: 'weekdayWakeTime', message: 'Enter a wake time that differs from the bedtime.' },
    ]);
    expect(answers.weekendWakeTime).toBe('07:00');
  });

  it('replaces only its own section in the stored answers', () => {
    const stored = { sex: 'male', healthyFats: 'rarely', hoursAsleep: 6 };
    const next = replaceSection(stored, section('diet'), { fermentedFoods: 'some_days' });
    expect(next).toEqual({ sex: 'male', hoursAsleep: 6, fermentedFoods: 'some_days' });
  });
});

describe('progress and display', () => {
  it('counts applicable questions and required ones still missing', () => {
    const progress = progressOf(
      loadContent().questionnaire,
      { sex: 'male', auditFrequency: 0 },
      'trt',
    );
    expect(progress.answered).toBe(2);
    expect(progress.missingRequired).toEqual([{ section: 'context', question: 'ageBand' }]);
    const peptide = progressOf(loadContent().questionnaire, {}, 'gh_peptide_therapy');
    expect(peptide.applicable).toBe(
      progressOf(loadContent().questionnaire, {}, 'trt').applicable + 1,
    );
  });

  it('shows answers as a person reads them', () => {
    expect(displayAnswer(question('auditFrequency'), 3)).toBe('2 to 3 times a week');
    expect(displayAnswer(question('bedroom'), ['dark', 'quiet'])).toBe('Dark, Quiet');
    expect(displayAnswer(question('hoursAsleep'), 7.5)).toBe('7.5 hours');
    expect(displayAnswer(question('hoursAsleep'), undefined)).toBeUndefined();
  });
});

/** Throws with the problems, as loading the content does. */
function checkQuestionnaire(questionnaire: Questionnaire): void {
  const problems = questionnaireProblems(questionnaire, new Set(loadContent().rows.keys()));
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

describe('checkQuestionnaire', () => {
  it('accepts the current definition: every question informs a real article row or says why not', () => {
    expect(() => checkQuestionnaire(loadContent().questionnaire)).not.toThrow();
    const questions = loadContent().questionnaire.sections.flatMap((s) => s.questions);
    expect(questions.filter((q) => q.instrument === 'pss10')).toHaveLength(10);
    expect(questions.filter((q) => q.instrument === 'auditC')).toHaveLength(3);
  });

  it('names the question when a definition is broken', () => {
    const broken: Questionnaire = {
      ...loadContent().questionnaire,
      sections: loadContent().questionnaire.sections.map((s) =>
        s.id === 'diet'
          ? {
              ...s,
              questions: [
                { ...s.questions[0], informs: ['lifestyle-guidance:nope:nothing'] },
                ...s.questions,
              ],
            }
          : s,
      ),
    };
    expect(() => checkQuestionnaire(broken)).toThrow(/diet\.sweetDrinksAndSweets: id used twice/);
    expect(() => checkQuestionnaire(broken)).toThrow(
      /informs unknown article row lifestyle-guidance:nope:nothing/,
    );
  });

  it('refuses a time question that must differ from a question that is not an earlier time', () => {
    const broken: Questionnaire = {
      ...loadContent().questionnaire,
      sections: loadContent().questionnaire.sections.map((s) =>
        s.id === 'sleep'
          ? {
              ...s,
              questions: s.questions.map((q) =>
                q.id === 'weekdayWakeTime' ? { ...q, differsFrom: 'hoursAsleep' } : q,
              ),
            }
          : s,
      ),
    };
    expect(() => checkQuestionnaire(broken)).toThrow(
      /sleep\.weekdayWakeTime: differsFrom must name an earlier time question of the same step/,
    );
  });
});
