import type { DiscussionPoint } from '../rules/evaluate';
import { DosingAdviceError } from '../safety/dosing-guard';
import { anchorOf } from '../web/clinic/knowledge-view';
import { FHIR_CASES, KNOWLEDGE_URL } from '../../test/support/fhir-intakes';
import { cdsCards, cdsDiscovery } from './cds-hooks';

const withPoints = FHIR_CASES.filter((c) => c.points.length > 0);
const [firstPoint] = withPoints[0].points;

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
      const { cards } = cdsCards(points, KNOWLEDGE_URL);
      expect(cards.map((card) => card.indicator)).toEqual(points.map((point) => point.indicator));
      for (const [index, card] of cards.entries()) {
        expect(Object.keys(card).sort()).toEqual(['detail', 'indicator', 'source', 'summary']);
        expect(card.summary).toBe(points[index].summary);
        expect(card.summary.length).toBeLessThan(140);
        expect(card.source.label).toBe(points[index].sources[0].articleTitle);
      }
    },
  );

  it('links the source to the cited row on the knowledge page, and to nothing of the patient', () => {
    for (const { points, patient, intake } of withPoints) {
      const { cards } = cdsCards(points, KNOWLEDGE_URL);
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
    const [card] = cdsCards([point], KNOWLEDGE_URL).cards;
    expect(card.detail.split('\n\n')).toEqual([
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

  it('refuses, naming the rule, a card whose text would give dosing advice', () => {
    const dosing = { ...firstPoint, detail: 'Take 200 mg of testosterone every week.' };
    expect(() => cdsCards([dosing], KNOWLEDGE_URL)).toThrow(DosingAdviceError);
    expect(() => cdsCards([dosing], KNOWLEDGE_URL)).toThrow(`CDS card ${firstPoint.ruleId}`);
  });

  it('refuses a knowledge page address that is not an absolute URL without a fragment', () => {
    expect(() => cdsCards([], '/knowledge')).toThrow();
    expect(() => cdsCards([], `${KNOWLEDGE_URL}#top`)).toThrow(/no query or fragment/);
  });
});
