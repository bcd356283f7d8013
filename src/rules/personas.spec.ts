import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Protocol } from '../common/protocol';
import { PROJECT_ROOT } from '../config/project-root';
import { progressOf, readSection } from '../intake/questionnaire/answers';
import { CURRENT_QUESTIONNAIRE } from '../intake/questionnaire/questionnaire';
import { Answers } from '../intake/questionnaire/questionnaire.types';
import { scoreIntake } from '../intake/scoring';
import { evaluate } from './evaluate';
import { loadKnowledgeBase } from './knowledge-base.files';

interface Persona {
  readonly name: string;
  readonly protocol: Protocol;
  readonly answers: Answers;
  readonly mustInclude: readonly string[];
  readonly mustExclude: readonly string[];
}

const DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'personas');
const personas: [string, Persona][] = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Persona]);

describe('personas: who gets which discussion points', () => {
  const kb = loadKnowledgeBase();
  const ruleIds = new Set(kb.rules.map((r) => r.id));

  it('has at least eight personas', () => {
    expect(personas.length).toBeGreaterThanOrEqual(8);
  });

  describe.each(personas)('%s', (_file, persona) => {
    it('has answers a patient could have given (the questionnaire accepts them)', () => {
      for (const section of CURRENT_QUESTIONNAIRE.sections) {
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
      expect(
        progressOf(CURRENT_QUESTIONNAIRE, persona.answers, persona.protocol).missingRequired,
      ).toEqual([]);
    });

    it('names only rules that exist', () => {
      for (const id of [...persona.mustInclude, ...persona.mustExclude])
        expect({ id, known: ruleIds.has(id) }).toEqual({ id, known: true });
    });

    it('gets the points it must, and none it must not', () => {
      const result = evaluate(kb, {
        questionnaire: CURRENT_QUESTIONNAIRE,
        answers: persona.answers,
        scores: { ...scoreIntake(persona.answers) },
        protocol: persona.protocol,
      });
      const fired = new Set(result.points.map((p) => p.ruleId));
      expect({ missing: persona.mustInclude.filter((id) => !fired.has(id)) }).toEqual({
        missing: [],
      });
      expect({ unexpected: persona.mustExclude.filter((id) => fired.has(id)) }).toEqual({
        unexpected: [],
      });
      for (const point of result.points) expect(point.why.length).toBeGreaterThan(0);
    });
  });
});
