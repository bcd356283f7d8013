import { Answers } from '../content/schema/questionnaire.schema';
import { scoreIntake } from '../intake/scoring';
import { evaluate } from './evaluate';
import { KnowledgeBase } from '../content/check-knowledge-base';
import { Condition, Rule } from '../content/schema/rules.schema';
import { loadContent } from '../content/content';

const rule = (id: string, when: Condition, overrides: Partial<Rule> = {}): Rule => ({
  id,
  pillar: 'sleep',
  kind: 'concern',
  protocols: 'all',
  when,
  priority: 50,
  indicator: 'warning',
  clinician: {
    summary: `Summary of ${id}`,
    detail: `Detail of ${id}, long enough to pass the schema.`,
  },
  patient: `Patient text of ${id}, plain.`,
  sources: [{ row: 'lifestyle-guidance:stress-and-sleep:sleep-optimization' }],
  ...overrides,
});

const kb = (...rules: Rule[]): KnowledgeBase => ({
  version: '2026-11.9',
  rules,
  notMapped: [],
  barNotes: [],
  goalPillars: {},
  screenNotes: [],
  rows: loadContent().rows,
});

const run = (
  knowledge: KnowledgeBase,
  answers: Answers,
  protocol: 'trt' | 'female_hormone_therapy' = 'trt',
) =>
  evaluate(knowledge, {
    questionnaire: loadContent().questionnaire,
    answers,
    scores: { ...scoreIntake(answers) },
    protocol,
  });

const ids = (result: ReturnType<typeof run>) => result.points.map((p) => p.ruleId);

describe('evaluate', () => {
  const short = rule('sleep.short', { answer: 'hoursAsleep', lt: 7 });

  it('gives one why-line per answer, with every test that used it, and singular units for one', () => {
    const band = rule('sleep.band', {
      any: [
        {
          all: [
            { answer: 'hoursAsleep', gte: 1 },
            { answer: 'hoursAsleep', lt: 7 },
          ],
        },
        { answer: 'hoursAsleep', lt: 7 },
      ],
    });
    const [point] = run(kb(band), { hoursAsleep: 1 }).points;
    expect(point.why).toEqual([
      expect.objectContaining({
        ref: 'hoursAsleep',
        value: '1 hour',
        test: 'is 1 or more and is below 7',
      }),
    ]);
  });

  it('fires a rule whose condition holds, with the answer and threshold that made it fire', () => {
    const result = run(kb(short), { hoursAsleep: 6 });
    expect(ids(result)).toEqual(['sleep.short']);
    expect(result.points[0].why).toEqual([
      {
        kind: 'answer',
        ref: 'hoursAsleep',
        label: 'How many hours of actual sleep do you get on a usual night?',
        value: '6 hours',
        test: 'is below 7',
      },
    ]);
    expect(result.points[0].sources[0]).toMatchObject({
      article: 'lifestyle-guidance',
      tableTitle: 'Stress and sleep (HPA axis)',
      evidence: 'clinical-education article',
    });
    expect(result.rowsMatched).toEqual({
      'lifestyle-guidance:stress-and-sleep': [
        'lifestyle-guidance:stress-and-sleep:sleep-optimization',
      ],
    });
    expect(result.rulesetVersion).toBe('2026-11.9');
    expect(result.flaggedPillars).toEqual(['sleep']);
  });

  it('never lets an unanswered question satisfy a condition, not even through not, notIn or excludes', () => {
    const tricky = kb(
      short,
      rule('a', { not: { answer: 'hoursAsleep', gte: 7 } }),
      rule('b', { answer: 'fermentedFoods', notIn: ['most_days'] }),
      rule('c', { answer: 'bedroom', excludes: 'dark' }),
      rule('d', { answer: 'loudSnoring', neq: 'no' }),
      rule('e', {
        any: [
          { answer: 'hoursAsleep', lt: 7 },
          { not: { answer: 'resistanceDaysPerWeek', gt: 0 } },
        ],
      }),
      rule('f', { score: 'who2020.strength', eq: 'below' }),
    );
    expect(ids(run(tricky, {}))).toEqual([]);
  });

  it('reads answered values through not, notIn, excludes and any', () => {
    const result = run(
      kb(
        rule('a', { not: { answer: 'hoursAsleep', gte: 7 } }),
        rule('b', { answer: 'fermentedFoods', notIn: ['most_days'] }),
        rule('c', { answer: 'bedroom', excludes: 'dark' }),
        rule('e', {
          any: [
            { answer: 'walkingDays', gt: 6 },
            { answer: 'hoursAsleep', lt: 7 },
          ],
        }),
      ),
      { hoursAsleep: 6.5, fermentedFoods: 'rarely', bedroom: ['cool'], walkingDays: 2 },
    );
    expect(ids(result).sort()).toEqual(['a', 'b', 'c', 'e']);
    const a = result.points.find((p) => p.ruleId === 'a')!;
    expect(a.why[0].test).toBe('is below 7'); // the negated test, in plain words
    const e = result.points.find((p) => p.ruleId === 'e')!;
    expect(e.why.map((w) => w.ref)).toEqual(['hoursAsleep']); // only the branch that held
  });

  it('reads scores only when their instrument was scored', () => {
    const stressed = rule('stress.high', { score: 'pss10.band', eq: 'high' }, { pillar: 'stress' });
    // "Very often" on the six stress items and "never" on the four reversed ones: 40, high.
    const allFours = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`pss${i + 1}`, [4, 5, 7, 8].includes(i + 1) ? 0 : 4]),
    );
    expect(ids(run(kb(stressed), allFours))).toEqual(['stress.high']);
    expect(run(kb(stressed), allFours).points[0].why[0]).toMatchObject({
      kind: 'score',
      ref: 'pss10.band',
    });
    const nine = Object.fromEntries(Object.entries(allFours).filter(([id]) => id !== 'pss10'));
    expect(ids(run(kb(stressed), nine))).toEqual([]);
  });

  it('applies a rule only to its protocols', () => {
    const estrogen = rule(
      'diet.fiber.estrogen',
      { answer: 'wholeGrainsLegumes', eq: 'rarely' },
      {
        pillar: 'diet',
        protocols: ['female_hormone_therapy'],
      },
    );
    expect(ids(run(kb(estrogen), { wholeGrainsLegumes: 'rarely' }, 'trt'))).toEqual([]);
    expect(
      ids(run(kb(estrogen), { wholeGrainsLegumes: 'rarely' }, 'female_hormone_therapy')),
    ).toEqual(['diet.fiber.estrogen']);
  });

  it('orders concerns by indicator then priority, strengths last, deterministically', () => {
    const knowledge = kb(
      rule('z.info', { answer: 'hoursAsleep', lt: 9 }, { indicator: 'info', priority: 99 }),
      rule(
        'y.strength',
        { answer: 'hoursAsleep', gt: 1 },
        { kind: 'strength', indicator: 'info', priority: 100 },
      ),
      rule('x.warning.low', { answer: 'hoursAsleep', lt: 9 }, { priority: 10 }),
      rule('w.critical', { answer: 'hoursAsleep', lt: 9 }, { indicator: 'critical', priority: 1 }),
      rule('v.warning.high', { answer: 'hoursAsleep', lt: 9 }, { priority: 90 }),
      rule('u.warning.high', { answer: 'hoursAsleep', lt: 9 }, { priority: 90 }),
    );
    const order = ids(run(knowledge, { hoursAsleep: 6 }));
    expect(order).toEqual([
      'w.critical',
      'u.warning.high',
      'v.warning.high',
      'x.warning.low',
      'z.info',
      'y.strength',
    ]);
    expect(ids(run(knowledge, { hoursAsleep: 6 }))).toEqual(order);
  });
});

describe('evaluate: blanks, groups and screen notes', () => {
  const short = rule('sleep.short', { answer: 'hoursAsleep', lt: 7 });

  it('tests blankness with `blank`, which is never unknown', () => {
    const blankOrShort = rule('sleep.blank-or-short', {
      any: [
        { answer: 'hoursAsleep', blank: true },
        { answer: 'hoursAsleep', lt: 7 },
      ],
    });
    expect(ids(run(kb(blankOrShort), {}))).toEqual(['sleep.blank-or-short']);
    expect(run(kb(blankOrShort), {}).points[0].why).toEqual([
      expect.objectContaining({ ref: 'hoursAsleep', value: 'left blank' }),
    ]);
    expect(ids(run(kb(blankOrShort), { hoursAsleep: 6 }))).toEqual(['sleep.blank-or-short']);
    expect(ids(run(kb(blankOrShort), { hoursAsleep: 8 }))).toEqual([]);
    const given = rule('sleep.given', { not: { answer: 'hoursAsleep', blank: true } });
    expect(ids(run(kb(given), { hoursAsleep: 8 }))).toEqual(['sleep.given']);
    expect(ids(run(kb(given), {}))).toEqual([]);
  });

  it('prints evening-routine points that fire together as one point listing them', () => {
    const routine = (id: string, when: Condition, priority: number) =>
      rule(id, when, {
        indicator: 'info',
        priority,
        group: 'evening-routine',
        sources: [{ row: 'evening-routine:practice:dim-light-no-screens' }],
      });
    const screens = routine('sleep.screens', { answer: 'screensLastHour', eq: 'most_nights' }, 40);
    const fluids = routine('sleep.fluids', { answer: 'fluidsBeforeBed', eq: 'most_nights' }, 30);
    const both = run(kb(screens, fluids, short), {
      screensLastHour: 'most_nights',
      fluidsBeforeBed: 'most_nights',
      hoursAsleep: 6,
    });
    expect(ids(both)).toEqual(['sleep.short', 'sleep.evening-routine']);
    const grouped = both.points[1];
    expect(grouped).toMatchObject({ indicator: 'info', priority: 40, kind: 'concern' });
    expect(grouped.summary).toBe('Evening routine: 2 habits a wind-down routine addresses');
    expect(grouped.detail).toContain('Summary of sleep.screens; Summary of sleep.fluids');
    expect(grouped.why.map((w) => w.ref)).toEqual(['screensLastHour', 'fluidsBeforeBed']);
    // One alone stays itself.
    const one = run(kb(screens, fluids), { screensLastHour: 'most_nights' });
    expect(ids(one)).toEqual(['sleep.screens']);
  });

  it('adds a screen note, for the protocols it names, when its condition holds', () => {
    const knowledge: KnowledgeBase = {
      ...kb(short),
      screenNotes: [
        {
          id: 'note.alcohol.audit-c-positive',
          protocols: ['female_hormone_therapy'],
          when: { score: 'auditC.positive', eq: true },
          summary: 'AUDIT-C positive: no point',
          detail: 'No article row ties alcohol to this protocol, so there is no point.',
        },
      ],
    };
    const drinking = { sex: 'female', auditFrequency: 4, auditTypicalDrinks: 2, auditSixOrMore: 2 };
    expect(run(knowledge, drinking, 'female_hormone_therapy').screenNotes).toEqual([
      expect.objectContaining({ id: 'note.alcohol.audit-c-positive' }),
    ]);
    expect(run(knowledge, drinking, 'trt').screenNotes).toEqual([]);
    expect(run(knowledge, { sex: 'female' }, 'female_hormone_therapy').screenNotes).toEqual([]);
  });
});
