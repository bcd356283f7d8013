import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Protocol } from '../src/common/protocol';
import { PROJECT_ROOT } from '../src/config/project-root';
import type { Answers } from '../src/content/schema/questionnaire.schema';
import { DiscussionPoint, GROUP_POINT_IDS } from '../src/rules/evaluate';
import { HandoutHarness } from './support/handout-harness';

/*
 * Every persona (test/fixtures/personas) through both handouts, rendered by
 * real Chromium as the service renders them: the dosing-advice guard passes
 * both (or the service would refuse them); on A4 each has exactly the pages
 * its fixture says, on Letter the guide fits 1-3 pages and the notes 1-2; each
 * point the persona must get prints in the guide (its summary) and, unless the
 * notes leave it to "N more topics" to keep to two pages, in the notes (the
 * start of its patient text); no Priority or Discuss point is left out of the
 * notes; a screen note prints in the guide only; and a short bar with no
 * concern to explain it carries its bar note.
 * The header is the one personas-browser.e2e-spec.ts gets through the API
 * (same clinic and patient names), so the page counts agree.
 */

interface Persona {
  readonly name: string;
  readonly protocol: Protocol;
  readonly answers: Answers;
  readonly mustInclude: readonly string[];
  readonly pages: { readonly clinician: number; readonly patient: number };
  readonly barNotes?: readonly string[];
}

const DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'personas');
const personas: [string, Persona][] = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Persona]);

const harness = new HandoutHarness({
  clinicName: 'Persona Clinic',
  patientName: 'Pat Persona',
  patientReference: null,
});
const { content } = harness;
afterAll(() => harness.close());

const KINDS = ['clinician', 'patient'] as const;
const LIMITS = { clinician: [1, 3], patient: [1, 2] } as const;

/**
 * pdftotext breaks lines where the page does, and drops a hyphen it finds at
 * a line's end ("lower-risk" reads "lowerrisk"): compare without either.
 */
const squash = (text: string): string => text.replace(/[\s-]+/g, '');

/**
 * What prints for a rule the persona must get: its own point, or the one
 * point of its group when it fired with others of the group. The patient
 * text is the rule's own, which a group's point prints among the others.
 */
function printedAs(id: string, points: readonly DiscussionPoint[]): DiscussionPoint {
  const own = points.find((p) => p.ruleId === id);
  if (own) return own;
  const rule = content.knowledgeBase.rules.find((r) => r.id === id);
  const group = rule?.group && points.find((p) => p.ruleId === GROUP_POINT_IDS[rule.group!]);
  if (!rule || !group) throw new Error(`${id} is not among the points`);
  return { ...group, patientText: rule.patient };
}

describe.each(personas)('%s: both handouts', (_file, persona) => {
  const assessed = harness.assess(persona.protocol, persona.answers);
  const { result } = assessed;
  const render = (kind: (typeof KINDS)[number], paper: 'a4' | 'letter') =>
    harness.render(assessed, kind, paper);

  it('on A4: passes the dosing guard, exactly the fixture’s pages; its points and bar notes print', async () => {
    const [guide, notes] = await Promise.all(KINDS.map((kind) => render(kind, 'a4')));
    expect({ clinician: guide.refused, patient: notes.refused }).toEqual({
      clinician: [],
      patient: [],
    });
    expect({ clinician: guide.pages, patient: notes.pages }).toEqual(persona.pages);

    // The notes print the first five concerns, a few more, and the first strengths in full.
    const inNotes = new Set(
      [
        ...notes.view.first,
        ...notes.view.pillars.flatMap((g) => g.points),
        ...notes.view.strengths,
      ].map((p) => p.ruleId),
    );
    for (const id of persona.mustInclude) {
      const point = printedAs(id, result.points);
      expect({ id, inGuide: squash(guide.text).includes(squash(point.summary)) }).toEqual({
        id,
        inGuide: true,
      });
      const printed = squash(notes.text).includes(squash(point.patientText.slice(0, 40)));
      expect({
        id,
        inNotes: printed,
        // Left out only to keep to two pages: a concern is counted as one of the "more topics".
        leftOut:
          !inNotes.has(point.ruleId) && (point.kind === 'strength' || notes.view.moreTopics !== ''),
      }).toEqual({ id, inNotes: inNotes.has(point.ruleId), leftOut: !inNotes.has(point.ruleId) });
    }
    expect(
      result.points
        .filter((p) => p.kind === 'concern' && p.indicator !== 'info' && !inNotes.has(p.ruleId))
        .map((p) => p.ruleId),
    ).toEqual([]);
    // "3 more topics" prints when something was left out ('' is in any text).
    expect(squash(notes.text)).toContain(squash(notes.view.moreTopics));

    // A screen with no point (AUDIT-C positive off TRT) is noted in the guide only.
    for (const note of guide.view.screenNotes)
      expect(squash(guide.text)).toContain(squash(note.summary));
    expect(notes.view.screenNotes).toEqual([]);

    for (const { view, text } of [guide, notes]) {
      expect({
        kind: view.kind,
        barNotes: view.barNotes.map((n) => n.pillar.toLowerCase()).sort(),
      }).toEqual({ kind: view.kind, barNotes: [...(persona.barNotes ?? [])].sort() });
      for (const note of view.barNotes) expect(squash(text)).toContain(squash(note.text));
    }
  });

  it('on Letter: the guide fits 1-3 pages and the notes 1-2', async () => {
    const rendered = await Promise.all(KINDS.map((kind) => render(kind, 'letter')));
    for (const [i, kind] of KINDS.entries()) {
      const [min, max] = LIMITS[kind];
      const { pages, pageSize } = rendered[i];
      expect(pageSize).toContain('612 x 792'); // Letter in points
      expect({ kind, pages, fits: pages >= min && pages <= max }).toMatchObject({ fits: true });
    }
  });
});
