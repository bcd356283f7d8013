import fc from 'fast-check';
import { PROTOCOLS } from '../common/protocol';
import { loadContent } from '../content/content';
import { barState, pillarBars } from '../handouts/pillar-chart';
import { scoreIntake } from '../intake/scoring';
import { intakeAnswers } from '../../test/support/intake-arbitrary';
import { evaluate } from './evaluate';

/*
 * Every amber bar of the four-pillar picture is explained: for every
 * protocol, a pillar the picture shows short of its target has at least one
 * concern in that pillar, or the content says why the articles give that
 * protocol none (a bar note, printed beside the picture).
 */

const RUNS = 3000;
const content = loadContent();
const kb = content.knowledgeBase;

describe.each(PROTOCOLS)('for %s', (protocol) => {
  it(`explains every amber bar (${RUNS} generated intakes)`, () => {
    fc.assert(
      fc.property(intakeAnswers(content.questionnaire, protocol), (answers) => {
        const scores = scoreIntake(answers) as unknown as Record<string, unknown>;
        const result = evaluate(kb, {
          questionnaire: content.questionnaire,
          answers,
          scores,
          protocol,
        });
        const concerns = new Set(
          result.points.filter((p) => p.kind === 'concern').map((p) => p.pillar),
        );
        const unexplained = pillarBars(answers, scores, 'clinician')
          .filter((bar) => barState(bar) === 'short' && !concerns.has(bar.key))
          .filter(
            (bar) =>
              !kb.barNotes.some((n) => n.pillar === bar.key && n.protocols.includes(protocol)),
          )
          .map((bar) => bar.key);
        expect(unexplained).toEqual([]);
      }),
      { numRuns: RUNS, seed: 20261206 },
    );
  });
});
