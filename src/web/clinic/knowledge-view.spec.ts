import { Questionnaire } from '../../content/schema/questionnaire.schema';
import { KnowledgeBase } from '../../content/check-knowledge-base';
import { Rule } from '../../content/schema/rules.schema';
import { Article } from '../../content/schema/articles.schema';
import { anchorOf, buildKnowledgeView, KnowledgeRowView, KnowledgeView } from './knowledge-view';
import { loadContent } from '../../content/content';

const rowsOf = (view: KnowledgeView): KnowledgeRowView[] =>
  view.articles.flatMap((a) => a.tables.flatMap((t) => t.rows));

const SCOPE_REASON = 'Written for anyone, naming no protocol.';

describe('buildKnowledgeView on the repository knowledge base', () => {
  const kb = loadContent().knowledgeBase;
  const view = buildKnowledgeView(loadContent().articles, kb, loadContent().questionnaire);
  const row = (ref: string) => rowsOf(view).find((r) => r.ref === ref);

  it('lists every article row once, in article order, with the versions and counts', () => {
    expect(view.articles.map((a) => a.id)).toEqual([
      'lifestyle-guidance',
      'hpg-recovery',
      'evening-routine',
    ]);
    expect(rowsOf(view).map((r) => r.ref)).toEqual([...loadContent().rows.keys()]);
    expect(view.rowCount).toBe(loadContent().rows.size);
    expect(view.ruleCount).toBe(kb.rules.length);
    expect(view.rulesetVersion).toBe(kb.version);
    expect(view.questionnaireVersion).toBe(loadContent().questionnaire.version);
  });

  it('shows under a row every rule that cites it, concerns first, by priority', () => {
    const sleep = row('hpg-recovery:further-factors:sleep-architecture');
    const citing = kb.rules.filter((r) =>
      r.sources.some((s) => s.row === 'hpg-recovery:further-factors:sleep-architecture'),
    );
    expect(sleep?.rules.map((r) => r.id).sort()).toEqual(citing.map((r) => r.id).sort());
    expect(sleep?.rules[0]).toMatchObject({
      id: 'sleep.apnea-signs.post-trt',
      pillar: 'Sleep',
      kind: 'concern',
      kindLabel: 'Concern',
      priority: 95,
      indicator: 'critical',
      protocols: 'Post-TRT or fertility recovery',
    });
    const kinds = sleep?.rules.map((r) => r.kind) ?? [];
    expect(kinds).toEqual([...kinds].sort()); // 'concern' < 'strength'
    for (const kind of ['concern', 'strength']) {
      const priorities = sleep?.rules.filter((r) => r.kind === kind).map((r) => r.priority) ?? [];
      expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    }
  });

  it('says which rows no rule cites, with the reason from the ruleset', () => {
    const outcome = row('hpg-recovery:molecular-pathways:clinical-outcome');
    expect(outcome?.rules).toEqual([]);
    expect(outcome?.notMappedReason).toBe(kb.notMapped[0].reason);
    expect(view.uncitedCount).toBe(rowsOf(view).filter((r) => r.rules.length === 0).length);
    for (const each of rowsOf(view)) {
      expect({ ref: each.ref, covered: each.rules.length > 0 || !!each.notMappedReason }).toEqual({
        ref: each.ref,
        covered: true,
      });
    }
  });

  it('groups an instrument’s items into one entry among the questions that inform a row', () => {
    const stress = row('hpg-recovery:further-factors:stress-cortisol-crh');
    expect(stress?.questions).toContainEqual({
      label: 'PSS-10, Perceived Stress Scale (10 items)',
      section: 'Stress',
      ids: 'pss1 to pss10',
      instrument: true,
    });
    expect(stress?.questions.filter((q) => q.ids.startsWith('pss'))).toHaveLength(1);
  });

  it('gives every article, table and row a unique anchor that is a valid id', () => {
    const anchors = view.articles.flatMap((a) => [
      a.anchor,
      ...a.tables.flatMap((t) => [t.anchor, ...t.rows.map((r) => r.anchor)]),
    ]);
    expect(new Set(anchors).size).toBe(anchors.length);
    for (const anchor of anchors) expect(anchor).toMatch(/^kb-[A-Za-z0-9-]+$/);
  });
});

describe('buildKnowledgeView on a small knowledge base', () => {
  const article: Article = {
    id: 'evening-routine',
    title: 'Title',
    plainTitle: 'Plain',
    file: 'file.txt',
    evidence: 'anecdotal practice',
    tables: [
      {
        id: 'practice',
        kind: 'list',
        title: 'Practices',
        rows: [
          {
            id: 'reading',
            label: 'Reading',
            scope: 'any',
            scopeReason: SCOPE_REASON,
            says: 'Read a book.',
          },
          {
            id: 'warm-bath',
            label: 'A warm bath',
            scope: 'any',
            scopeReason: SCOPE_REASON,
            says: 'Take a bath.',
          },
        ],
      },
    ],
  };
  const rule = (overrides: Partial<Rule>): Rule => ({
    id: 'sleep.example',
    pillar: 'sleep',
    kind: 'concern',
    protocols: 'all',
    when: { answer: 'windDownRoutine', eq: 'no' },
    priority: 50,
    indicator: 'info',
    clinician: { summary: 'A summary', detail: 'A detail long enough.' },
    patient: 'Plain words for the patient.',
    sources: [{ row: 'evening-routine:practice:reading' }],
    ...overrides,
  });
  const kb: KnowledgeBase = {
    version: '2030-01.7',
    rules: [
      rule({ id: 'sleep.strength', kind: 'strength', priority: 90 }),
      rule({ id: 'sleep.low', priority: 10 }),
      rule({
        id: 'sleep.high',
        priority: 80,
        protocols: ['trt', 'post_trt_recovery'],
        sources: [
          { row: 'evening-routine:practice:reading' },
          { row: 'evening-routine:practice:reading' },
        ],
      }),
    ],
    notMapped: [{ row: 'evening-routine:practice:warm-bath', reason: 'Because of a reason.' }],
    barNotes: [],
    goalPillars: {},
    screenNotes: [],
    rows: new Map(),
  };
  const questionnaire: Questionnaire = {
    version: 'q-9',
    sections: [
      {
        id: 'sleep',
        title: 'Sleep',
        intro: '',
        questions: [
          {
            id: 'windDownRoutine',
            type: 'yesNoUnsure',
            label: 'Wind down?',
            required: false,
            informs: ['evening-routine:practice:reading', 'evening-routine:practice:reading'],
          },
        ],
      },
    ],
  };
  const view = buildKnowledgeView([article], kb, questionnaire);
  const [reading, bath] = view.articles[0].tables[0].rows;

  it('orders rules concerns first by priority, lists a rule citing a row twice once, and names protocols', () => {
    expect(reading.rules.map((r) => r.id)).toEqual(['sleep.high', 'sleep.low', 'sleep.strength']);
    expect(reading.rules[0].protocols).toBe(
      'Testosterone replacement (TRT), Post-TRT or fertility recovery',
    );
    expect(reading.questions).toEqual([
      { label: 'Wind down?', section: 'Sleep', ids: 'windDownRoutine', instrument: false },
    ]);
    expect(reading.notMappedReason).toBeUndefined();
  });

  it('marks a row no rule cites, with its reason, and counts it', () => {
    expect(bath).toMatchObject({
      ref: 'evening-routine:practice:warm-bath',
      anchor: 'kb-evening-routine--practice--warm-bath',
      rules: [],
      questions: [],
      notMappedReason: 'Because of a reason.',
    });
    expect(view.articles[0].tables[0]).toMatchObject({ uncitedCount: 1, kindLabel: 'List' });
    expect(view).toMatchObject({
      rulesetVersion: '2030-01.7',
      questionnaireVersion: 'q-9',
      ruleCount: 3,
      rowCount: 2,
      uncitedCount: 1,
    });
  });

  it('makes anchors that are safe ids', () => {
    expect(anchorOf('a:b:c')).toBe('kb-a--b--c');
    expect(anchorOf('x"><y')).toBe('kb-x--y');
  });
});
