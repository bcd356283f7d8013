import {
  checkKnowledgeBase,
  KnowledgeBaseError,
  KnowledgeBaseFiles,
} from '../content/check-knowledge-base';
import { leavesOf } from '../content/schema/rules.schema';
import { CONTENT_FILES, loadContent } from '../content/content';

describe('the knowledge base in the repository', () => {
  const kb = loadContent().knowledgeBase;

  it('loads: every condition, source and text passes the load-time checks', () => {
    expect(kb.version).toMatch(/^\d{4}-\d{2}\.\d+$/);
    expect(kb.rules.length).toBeGreaterThan(30);
  });

  it('covers every article row: cited by a rule, or listed as not mapped with a reason', () => {
    const cited = new Set(kb.rules.flatMap((r) => r.sources.map((s) => s.row)));
    const notMapped = new Set(kb.notMapped.map((n) => n.row));
    for (const row of loadContent().rows.keys())
      expect({ row, covered: cited.has(row) || notMapped.has(row) }).toEqual({
        row,
        covered: true,
      });
  });

  it('has strengths as well as concerns, in every pillar', () => {
    for (const pillar of ['diet', 'exercise', 'sleep', 'stress'] as const) {
      const kinds = new Set(kb.rules.filter((r) => r.pillar === pillar).map((r) => r.kind));
      expect({ pillar, kinds: [...kinds].sort() }).toEqual({
        pillar,
        kinds: ['concern', 'strength'],
      });
    }
  });

  it('is protocol-aware where the articles are: estrobolome for estrogen therapy, timing for peptides, deficits for recovery', () => {
    const protocolsCiting = (row: string) =>
      new Set(
        kb.rules
          .filter((r) => r.sources.some((s) => s.row === row))
          .flatMap((r) => (r.protocols === 'all' ? ['all'] : r.protocols)),
      );
    for (const row of ['dietary-fiber', 'cruciferous-vegetables', 'probiotic-fermented-foods']) {
      expect([...protocolsCiting(`lifestyle-guidance:estrobolome:${row}`)]).toEqual([
        'female_hormone_therapy',
      ]);
    }
    expect([
      ...protocolsCiting('lifestyle-guidance:exercise-by-protocol:peptide-exercise-timing'),
    ]).toEqual(['gh_peptide_therapy']);
    expect([...protocolsCiting('hpg-recovery:exercise:endurance-with-low-intake')]).toEqual([
      'post_trt_recovery',
    ]);
  });

  it('never reads free text or raw times in a condition', () => {
    const readable = kb.rules
      .flatMap((r) => leavesOf(r.when))
      .filter((l) => 'answer' in l)
      .map((l) => (l as { answer: string }).answer);
    expect(readable).not.toContain('routineNotes');
    expect(readable.filter((id) => id.endsWith('Bedtime') || id.endsWith('WakeTime'))).toEqual([]);
  });
});

describe('the article-row registry', () => {
  // The rows per table of the three source articles, counted from the article
  // list the clinical team keeps beside the articles (articles/README.md), in
  // its order. The repository keeps this as its own data: tests never read
  // outside it. A change to the registry must change this list on purpose.
  const ROWS_PER_TABLE: Record<string, Record<string, number>> = {
    'lifestyle-guidance': {
      'dietary-impacts': 4,
      'exercise-by-protocol': 4,
      'stress-and-sleep': 3,
      estrobolome: 4,
    },
    'hpg-recovery': {
      'diet-fuels-recovery': 3,
      'recovery-markers': 5,
      exercise: 2,
      'molecular-pathways': 5,
      'further-factors': 3,
    },
    'evening-routine': { practice: 11 },
  };

  it('lists, article by article and table by table, the rows of the source articles', () => {
    const registry = Object.fromEntries(
      loadContent().articles.map((article) => [
        article.id,
        Object.fromEntries(article.tables.map((table) => [table.id, table.rows.length])),
      ]),
    );
    expect(registry).toEqual(ROWS_PER_TABLE);
  });
});

describe('load-time checks name the rule and the problem', () => {
  const base = { ruleset: CONTENT_FILES.ruleset, pillars: CONTENT_FILES.rules } as {
    ruleset: { version: string; notMapped: unknown[] };
    pillars: Record<string, { rules: Record<string, unknown>[] }>;
  };
  const first = base.pillars.sleep.rules[0];

  const withSleepRule = (changes: Record<string, unknown>): KnowledgeBaseFiles => ({
    ruleset: base.ruleset,
    pillars: {
      ...base.pillars,
      sleep: {
        rules: [...base.pillars.sleep.rules, { ...first, id: 'sleep.broken', ...changes }],
      },
    },
  });

  const problemsOf = (files: KnowledgeBaseFiles): string[] => {
    try {
      checkKnowledgeBase(files, loadContent().questionnaires, loadContent().rows);
    } catch (error) {
      if (error instanceof KnowledgeBaseError) return [...error.problems];
      throw error;
    }
    return [];
  };

  it.each([
    [
      { when: { answer: 'hoursOfTv', gt: 3 } },
      'sleep.broken: condition names question hoursOfTv, which does not exist',
    ],
    [
      { when: { answer: 'nightWaking', eq: 'always' } },
      'sleep.broken: condition on nightWaking (single) uses values that are not options: always',
    ],
    [
      { when: { answer: 'hoursAsleep', includes: 'x' } },
      'sleep.broken: condition on hoursAsleep (number) cannot use includes',
    ],
    [{ when: { answer: 'routineNotes', eq: 'x' } }, 'never read free text'],
    [
      { when: { score: 'pss10.mood', gte: 3 } },
      'sleep.broken: condition names score pss10.mood, which does not exist',
    ],
    [
      { when: { score: 'pss10.band', eq: 'extreme' } },
      'uses values that are not possible: extreme',
    ],
    [
      { when: { answer: 'hoursAsleep', lt: 7, gt: 3 } },
      'sleep.json rule sleep.broken (when): a condition needs exactly one of',
    ],
    [
      { sources: [{ row: 'lifestyle-guidance:nope:nothing' }] },
      'sleep.broken: source lifestyle-guidance:nope:nothing is not an article row',
    ],
    [
      { kind: 'strength', indicator: 'warning' },
      'sleep.broken: a strength is always indicator info',
    ],
    [
      { clinician: { summary: 'x'.repeat(140), detail: 'y'.repeat(60) } },
      'sleep.json rule sleep.broken (clinician.summary)',
    ],
    [{ id: first.id }, `${String(first.id)}: id used twice`],
    [{ pillar: 'diet' }, 'sleep.broken: pillar diet is in sleep.json'],
    [
      { patient: 'Take 3 mg of melatonin an hour before bed to sleep better.' },
      'sleep.broken: patient reads as dosing advice',
    ],
    [
      {
        clinician: {
          summary: 'Consider a higher testosterone dose',
          detail: 'Raise the weekly testosterone cypionate injection by 20 mg.',
        },
      },
      'sleep.broken: clinician.detail reads as dosing advice',
    ],
    [
      { protocols: 'all', sources: [{ row: 'hpg-recovery:further-factors:sleep-architecture' }] },
      'sleep.broken: fires for trt, female_hormone_therapy, gh_peptide_therapy, other, which hpg-recovery:further-factors:sleep-architecture does not cover (its scope: post_trt_recovery)',
    ],
    [
      { protocols: ['trt'], sources: [{ row: 'lifestyle-guidance:estrobolome:dietary-fiber' }] },
      'sleep.broken: fires for trt, which lifestyle-guidance:estrobolome:dietary-fiber does not cover (its scope: female_hormone_therapy)',
    ],
    [
      {
        kind: 'concern',
        indicator: 'warning',
        protocols: 'all',
        sources: [{ row: 'evening-routine:practice:reading' }],
      },
      'sleep.broken: rests only on anecdote, so it can be no more than indicator info',
    ],
    [
      { group: 'evening-routine' },
      'sleep.broken: only evening-routine points can join the evening-routine group',
    ],
    [
      {
        clinician: {
          summary: 'High stress on progesterone therapy',
          detail:
            'Cortisol causes pregnenolone steal, which lowers progesterone and explains the symptoms.',
        },
      },
      'sleep.broken: clinician.detail states "pregnenolone steal" as fact; attribute it to its source',
    ],
    [
      { when: { answer: 'hoursOfTv', blank: true } },
      'sleep.broken: condition names question hoursOfTv, which does not exist',
    ],
  ])('refuses %j', (changes, expected) => {
    expect(problemsOf(withSleepRule(changes)).join('\n')).toContain(expected);
  });

  it('accepts a contested claim attributed to its article', () => {
    const problems = problemsOf(
      withSleepRule({
        clinician: {
          summary: 'High stress on progesterone therapy',
          detail:
            'The article proposes that cortisol competes for shared precursors, which it calls "pregnenolone steal"; the idea is contested.',
        },
      }),
    );
    expect(problems.join('\n')).not.toContain('pregnenolone');
  });

  it('refuses a question that informs a row no rule citing it reads', () => {
    const reads = (rule: Record<string, unknown>) =>
      JSON.stringify(rule.when).includes('"fluidsBeforeBed"');
    const files: KnowledgeBaseFiles = {
      ruleset: base.ruleset,
      pillars: Object.fromEntries(
        Object.entries(base.pillars).map(([pillar, file]) => [
          pillar,
          { rules: file.rules.filter((rule) => !reads(rule)) },
        ]),
      ),
    };
    expect(problemsOf(files).join('\n')).toContain(
      'fluidsBeforeBed informs evening-routine:practice:limit-fluids-before-bed, but no rule citing that row reads it',
    );
  });

  it('refuses a row that no rule cites and that is not listed as not mapped', () => {
    const cited = new Set(
      Object.values(base.pillars).flatMap((file) =>
        file.rules.flatMap((r) => (r.sources as { row: string }[]).map((s) => s.row)),
      ),
    );
    const lonely = [...cited][0];
    const files: KnowledgeBaseFiles = {
      ruleset: base.ruleset,
      pillars: Object.fromEntries(
        Object.entries(base.pillars).map(([pillar, file]) => [
          pillar,
          {
            rules: file.rules.filter(
              (r) => !(r.sources as { row: string }[]).some((s) => s.row === lonely),
            ),
          },
        ]),
      ),
    };
    expect(problemsOf(files)).toContain(
      `coverage: row ${lonely} is cited by no rule and not listed as not mapped`,
    );
  });
});
