import { PILLAR_LABELS } from '../common/pillar';
import { Indicator, INDICATOR_LABELS } from '../content/schema/rules.schema';
import type { DiscussionPoint, PointSource, Why } from '../rules/evaluate';
import { assertNoDosingAdvice } from '../safety/dosing-guard';
import { anchorOf } from '../web/clinic/knowledge-view';

/*
 * CDS Hooks 2.0 (https://cds-hooks.hl7.org/2.0/): an assessment's discussion
 * points as information cards for the EHR. Cards carry no suggestions and no
 * links to act on: the product supports a conversation, never an order.
 */

export interface CdsCard {
  /** Under 140 characters, as the specification requires. */
  readonly summary: string;
  /** Markdown. */
  readonly detail: string;
  /** The point's own indicator: the product's values are the specification's. */
  readonly indicator: Indicator;
  readonly source: { readonly label: string; readonly url: string };
}

export interface CdsResponse {
  readonly cards: readonly CdsCard[];
}

export interface CdsService {
  readonly hook: string;
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

export interface CdsDiscovery {
  readonly services: readonly CdsService[];
}

export const CDS_SERVICE_ID = 'lifestyle-discussion-points';

/** The discovery document (`GET /cds-services`): one service, on opening a patient's chart. */
export function cdsDiscovery(): CdsDiscovery {
  return {
    services: [
      {
        hook: 'patient-view',
        id: CDS_SERVICE_ID,
        title: 'Lifestyle discussion points',
        description:
          "Points to discuss from the patient's latest lifestyle intake (diet, exercise, sleep, " +
          'stress), each with why it was raised and the article row it rests on.',
      },
    ],
  };
}

/**
 * One card per discussion point, in the assessment's order. The source is
 * the first article row the point cites, linked on the knowledge-base page
 * (`knowledgeUrl`, e.g. https://clinic.example/knowledge) by the row's own
 * anchor: the URL names the row and nothing of the patient. Every card's
 * text passes the dosing guard; a finding throws DosingAdviceError and no
 * card is sent, as a handout with a finding is not.
 */
export function cdsCards(points: readonly DiscussionPoint[], knowledgeUrl: string): CdsResponse {
  const page = new URL(knowledgeUrl);
  if (!['http:', 'https:'].includes(page.protocol) || page.search || page.hash) {
    throw new Error(
      `The knowledge page is an http(s) URL with no query or fragment (got ${knowledgeUrl})`,
    );
  }
  return { cards: points.map((point) => cardOf(point, page.href)) };
}

function cardOf(point: DiscussionPoint, knowledgeUrl: string): CdsCard {
  const [cited] = point.sources;
  if (!cited) throw new Error(`Point ${point.ruleId} cites no article row`);
  if (point.summary.length >= 140) throw new Error(`Point ${point.ruleId}: summary too long`);
  const card: CdsCard = {
    summary: point.summary,
    detail: detailOf(point),
    indicator: point.indicator,
    source: { label: cited.articleTitle, url: `${knowledgeUrl}#${anchorOf(cited.row)}` },
  };
  assertNoDosingAdvice([card.summary, card.detail, card.source.label], `CDS card ${point.ruleId}`);
  return card;
}

function detailOf(point: DiscussionPoint): string {
  const kind =
    point.kind === 'strength' ? 'Strength to acknowledge' : INDICATOR_LABELS[point.indicator];
  return [
    `**${PILLAR_LABELS[point.pillar]}**: ${kind}`,
    markdown(point.detail),
    '**Why**',
    point.why.map(whyLine).join('\n'),
    '**Sources**',
    point.sources.map(sourceLine).join('\n'),
  ].join('\n\n');
}

const whyLine = (why: Why): string =>
  `- ${markdown(why.label)}: ${markdown(why.value)}${why.test ? ` (${markdown(why.test)})` : ''}`;

const sourceLine = (source: PointSource): string =>
  `- ${markdown(source.articleTitle)}, ${markdown(source.tableTitle)}: ` +
  `${markdown(source.rowLabel)} (${source.evidence})`;

/** Product text as literal markdown: characters that would format or link are escaped. */
const markdown = (text: string): string => text.replace(/[\\`*_[\]<>#|!]/g, '\\$&');
