import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Protocol, PROTOCOLS } from '../common/protocol';
import { PROJECT_ROOT } from '../config/project-root';
import { progressOf, readSection } from '../intake/questionnaire/answers';
import { Answers } from '../content/schema/questionnaire.schema';
import { scoreIntake } from '../intake/scoring';
import { evaluate, GROUP_POINT_IDS } from './evaluate';
import { loadContent } from '../content/content';

/*
 * Patients as clinics see them (test/fixtures/personas): for each, the
 * points it must get and those it must not. A mustInclude or mustExclude id
 * is a rule id, or the id of a group's one point (sleep.evening-routine); a
 * rule of a group counts as fired whether it prints alone or inside its
 * group's point. The same fixtures drive test/personas-handouts.e2e-spec.ts
 * (their `pages` and `barNotes`) and test/personas-browser.e2e-spec.ts.
 */

interface Persona {
  readonly name: string;
  readonly protocol: Protocol;
  readonly answers: Answers;
  readonly mustInclude: readonly string[];
  readonly mustExclude: readonly string[];
  /** Exact page counts of the two handouts on A4. */
  readonly pages: { readonly clinician: number; readonly patient: number };
  /** Pillars whose short bar, with no concern to explain it, carries the ruleset's bar note. */
  readonly barNotes?: readonly string[];
}

const DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'personas');
const personas: [string, Persona][] = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Persona]);

/** At most this share of the applicable questions answered: a sparse persona. */
const SPARSE = 25;
/** At least this share answered, and at least HEAVY_CONCERNS concerns: a heavy one. */
const HEAVY = 75;
const HEAVY_CONCERNS = 8;

describe('personas: who gets which discussion points', () => {
  const content = loadContent();
  const kb = content.knowledgeBase;
  const ruleIds = new Set([...kb.rules.map((r) => r.id), ...Object.values(GROUP_POINT_IDS)]);
  // The same rules, none of them grouped: which rules fired, even those printed inside a group.
  const ungrouped = { ...kb, rules: kb.rules.map((rule) => ({ ...rule, group: undefined })) };

  const run = (persona: Persona) => {
    const input = {
      questionnaire: content.questionnaire,
      answers: persona.answers,
      scores: { ...scoreIntake(persona.answers) },
      protocol: persona.protocol,
    };
    const printed = evaluate(kb, input).points;
    const each = evaluate(ungrouped, input).points;
    return {
      printed,
      each,
      fired: new Set([...printed, ...each].map((p) => p.ruleId)),
      concerns: each.filter((p) => p.kind === 'concern').length,
      percent: progressOf(content.questionnaire, persona.answers, persona.protocol).percent,
    };
  };

  it('has at least twelve personas, and for every protocol a sparse and a heavy one', () => {
    expect(personas.length).toBeGreaterThanOrEqual(12);
    for (const protocol of PROTOCOLS) {
      const own = personas.filter(([, p]) => p.protocol === protocol).map(([, p]) => run(p));
      expect({
        protocol,
        count: own.length >= 2,
        sparse: own.some((r) => r.percent <= SPARSE),
        heavy: own.some((r) => r.percent >= HEAVY && r.concerns >= HEAVY_CONCERNS),
      }).toEqual({ protocol, count: true, sparse: true, heavy: true });
    }
  });

  describe.each(personas)('%s', (_file, persona) => {
    it('has answers a patient could have given (the questionnaire accepts them)', () => {
      for (const section of content.questionnaire.sections) {
        const own = Object.fromEntries(
          section.questions
            .filter((q) => q.id in persona.answers)
            .map((q) => [q.id, persona.answers[q.id]]),
        );
        if (Object.keys(own).length === 0) continue;
        const read = readSection(section, own, 'json', persona.protocol);
        expect({
          section: section.id,
          problems: read.problems.filter((p) => !p.message.startsWith('Answer this question')),
        }).toEqual({
          section: section.id,
          problems: [],
        });
      }
      // Every answer is to a question of the current questionnaire.
      const asked = new Set(
        content.questionnaire.sections.flatMap((s) => s.questions.map((q) => q.id)),
      );
      expect(Object.keys(persona.answers).filter((id) => !asked.has(id))).toEqual([]);
      expect(
        progressOf(content.questionnaire, persona.answers, persona.protocol).missingRequired,
      ).toEqual([]);
    });

    it('names only rules that exist, none both wanted and unwanted', () => {
      for (const id of [...persona.mustInclude, ...persona.mustExclude])
        expect({ id, known: ruleIds.has(id) }).toEqual({ id, known: true });
      expect(persona.mustInclude.filter((id) => persona.mustExclude.includes(id))).toEqual([]);
    });

    it('says how many A4 pages each handout has, within the handouts’ limits', () => {
      expect(persona.pages).toEqual({
        clinician: expect.any(Number),
        patient: expect.any(Number),
      });
      expect(persona.pages.clinician).toBeGreaterThanOrEqual(1);
      expect(persona.pages.clinician).toBeLessThanOrEqual(3);
      expect(persona.pages.patient).toBeGreaterThanOrEqual(1);
      expect(persona.pages.patient).toBeLessThanOrEqual(2);
    });

    it('makes no point from an answer no rule may read (a question with a reason it informs no row)', () => {
      // e.g. exerciseTimingVsPeptide: shown to the clinician only, since its row's one usable
      // content would be when to take the peptide, which the product never advises.
      const unread = new Set(
        content.questionnaire.sections
          .flatMap((s) => s.questions)
          .filter((q) => q.noRowReason !== undefined)
          .map((q) => q.id),
      );
      const reads = run(persona).each.flatMap((p) =>
        p.why.filter((w) => unread.has(w.ref)).map((w) => `${p.ruleId} reads ${w.ref}`),
      );
      expect(reads).toEqual([]);
    });

    it('gets the points it must, and none it must not', () => {
      const { printed, fired } = run(persona);
      expect({ missing: persona.mustInclude.filter((id) => !fired.has(id)) }).toEqual({
        missing: [],
      });
      expect({ unexpected: persona.mustExclude.filter((id) => fired.has(id)) }).toEqual({
        unexpected: [],
      });
      for (const point of printed) expect(point.why.length).toBeGreaterThan(0);
      // A group's rules print once, as its one point, when two or more fire.
      const members = kb.rules.filter((r) => r.group === 'evening-routine' && fired.has(r.id));
      const printedIds = printed.map((p) => p.ruleId);
      const grouped = members.length >= 2;
      expect({
        groupPoint: printedIds.includes(GROUP_POINT_IDS['evening-routine']),
        membersAlone: printedIds.filter((id) => members.some((m) => m.id === id)).length,
      }).toEqual({ groupPoint: grouped, membersAlone: grouped ? 0 : members.length });
    });
  });
});
