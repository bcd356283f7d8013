import type { DiscussionPoint } from '../rules/evaluate';
import { anchorOf } from '../web/clinic/knowledge-view';
import { FHIR_CASES, KNOWLEDGE_URL } from '../../test/support/fhir-intakes';
import { CardContext, cdsCards, cdsDiscovery, WITHHELD_CARD } from './cds-hooks';

const withPoints = FHIR_CASES.filter((c) => c.points.length > 0);
const [firstPoint] = withPoints[0].points;

const CONTEXT: CardContext = {
  sentAt: new Date('2026-11-21T18:30:00Z'),
  questionnaireVersion: '2026-12.1',
  rulesetVersion: '2026-12.1',
  reviewedAt: null,
  discussed: new Map(),
};
const sourceLabel = (s: DiscussionPoint['sources'][number]) =>
  `${s.articleTitle}: ${s.tableTitle}, ${s.rowLabel} (${s.evidence})`;

describe('cdsDiscovery', () => {
  it('describes one service on opening a patient chart', () => {
    expect(cdsDiscovery()).toEqual({
      services: [
        {
          hook: 'patient-view',
          id: 'lifestyle-discussion-points',
          title: 'Lifestyle discussion points',
          description: expect.stringMatching(/lifestyle intake/),
        },
      ],
    });
  });
});

describe('cdsCards', () => {
  it('has personas with points, some of them priority ones', () => {
    expect(withPoints.length).toBe(FHIR_CASES.length);
    expect(withPoints.flatMap((c) => c.points).some((p) => p.indicator === 'critical')).toBe(true);
  });

  it.each(withPoints.map((c) => [c.persona, c] as const))(
    'makes one information card per point of %s, with its own indicator and no action',
    (_name, { points }) => {
      const { cards } = cdsCards(points, KNOWLEDGE_URL, CONTEXT);
      expect(cards.map((card) => card.indicator)).toEqual(points.map((point) => point.indicator));
      for (const [index, card] of cards.entries()) {
        expect(Object.keys(card).sort()).toEqual(['detail', 'indicator', 'source', 'summary']);
        expect(card.summary).toBe(points[index].summary);
        expect(card.summary.length).toBeLessThan(140);
        expect(card.source.label).toBe(sourceLabel(points[index].sources[0]));
      }
    },
  );

  it('links the source to the cited row on the knowledge page, and to nothing of the patient', () => {
    for (const { points, patient, intake } of withPoints) {
      const { cards } = cdsCards(points, KNOWLEDGE_URL, CONTEXT);
      for (const [index, { source }] of cards.entries()) {
        expect(source.url).toBe(`${KNOWLEDGE_URL}#${anchorOf(points[index].sources[0].row)}`);
        expect(source.url).toMatch(/^https:\/\/clinic\.example\/knowledge#kb-[a-z0-9-]+$/);
        expect(source.url).not.toContain(patient.id);
        expect(source.url).not.toContain(intake.id);
      }
    }
  });

  it('writes the detail as markdown: the point, why it fired, every source', () => {
    const point: DiscussionPoint = {
      ...firstPoint,
      kind: 'concern',
      indicator: 'warning',
      detail: 'Sleep *under* 7 hours [often].',
      why: [
        {
          kind: 'answer',
          ref: 'hoursAsleep',
          label: 'Hours asleep',
          value: '5 hours',
          test: 'is below 7',
        },
      ],
    };
    const [card] = cdsCards([point], KNOWLEDGE_URL, CONTEXT).cards;
    expect(card.detail.split('\n\n')).toEqual([
      '_Patient-reported intake sent 2026-11-21, questionnaire 2026-12.1, ruleset 2026-12.1; not yet reviewed by a clinician._',
      expect.stringMatching(/^\*\*(Diet|Exercise|Sleep|Stress)\*\*: Discuss$/),
      'Sleep \\*under\\* 7 hours \\[often\\].',
      '**Why**',
      '- Hours asleep: 5 hours (is below 7)',
      '**Sources**',
      point.sources
        .map((s) => `- ${s.articleTitle}, ${s.tableTitle}: ${s.rowLabel} (${s.evidence})`)
        .join('\n'),
    ]);
  });

  it('leaves out a card whose text would give dosing advice, and says one was left out, keeping the others', () => {
    const dosing = { ...firstPoint, detail: 'Take 200 mg of testosterone every week.' };
    const other = { ...firstPoint, ruleId: 'other.point' };
    const { cards } = cdsCards([dosing, other], KNOWLEDGE_URL, CONTEXT);
    expect(cards).toHaveLength(2);
    expect(cards[0].summary).toBe(other.summary);
    expect(cards[1]).toEqual(WITHHELD_CARD);
  });

  it('says when the intake was reviewed, and lowers a point marked discussed to information', () => {
    const point: DiscussionPoint = { ...firstPoint, indicator: 'critical' };
    const reviewed: CardContext = {
      ...CONTEXT,
      reviewedAt: new Date('2026-11-25T10:00:00Z'),
      discussed: new Map([[point.ruleId, new Date('2026-11-25T09:50:00Z')]]),
    };
    const [card] = cdsCards([point], KNOWLEDGE_URL, reviewed).cards;
    expect(card.indicator).toBe('info');
    expect(card.detail.split('\n\n')[0]).toBe(
      '_Patient-reported intake sent 2026-11-21, questionnaire 2026-12.1, ruleset 2026-12.1; reviewed 2026-11-25. Marked discussed 2026-11-25._',
    );
    expect(cdsCards([point], KNOWLEDGE_URL, CONTEXT).cards[0].indicator).toBe('critical');
  });

  it('refuses a knowledge page address that is not an absolute URL without a fragment', () => {
    expect(() => cdsCards([], '/knowledge', CONTEXT)).toThrow();
    expect(() => cdsCards([], `${KNOWLEDGE_URL}#top`, CONTEXT)).toThrow(/no query or fragment/);
  });
});
