import { PILLAR_LABELS } from '../common/pillar';
import { Indicator, INDICATOR_LABELS } from '../content/schema/rules.schema';
import type { DiscussionPoint, PointSource, Why } from '../rules/evaluate';
import { assertNoDosingAdvice, DosingAdviceError } from '../safety/dosing-guard';
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
  /** The article row the point rests on, linked on the knowledge page (no link for the service's own note). */
  readonly source: { readonly label: string; readonly url?: string };
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

/** Where the points come from, said on every card so a clinician can judge how current it is. */
export interface CardContext {
  /** When the patient sent the intake. */
  readonly sentAt: Date;
  readonly questionnaireVersion: string;
  readonly rulesetVersion: string;
  /** When a clinician completed its review; null while not reviewed. */
  readonly reviewedAt: Date | null;
  /** The points a clinician marked discussed, and when. */
  readonly discussed: ReadonlyMap<string, Date>;
}

/** Said in place of a card whose text the dosing guard refused. */
export const WITHHELD_CARD: CdsCard = {
  summary: 'A discussion point was left out: read this intake in the lifestyle intake service',
  detail:
    'The wording of one point failed the check every text of this service passes before it leaves, so it is not shown here.',
  indicator: 'info',
  source: { label: 'Lifestyle intake service' },
};

/**
 * One card per discussion point, in the assessment's order. Each card's
 * detail opens with where it comes from (a patient-reported intake, when it
 * was sent, the versions, whether a clinician has reviewed it); a point a
 * clinician marked discussed is lowered to information. The source is the
 * article row the point cites first, linked on the knowledge-base page
 * (`knowledgeUrl`) by the row's own anchor: the URL names the row and
 * nothing of the patient. Every card's text passes the dosing guard; a card
 * it refuses is left out and one information card says so, so a false
 * alarm on one card never hides the others.
 */
export function cdsCards(
  points: readonly DiscussionPoint[],
  knowledgeUrl: string,
  context: CardContext,
): CdsResponse {
  const page = new URL(knowledgeUrl);
  if (!['http:', 'https:'].includes(page.protocol) || page.search || page.hash) {
    throw new Error(
      `The knowledge page is an http(s) URL with no query or fragment (got ${knowledgeUrl})`,
    );
  }
  const cards: CdsCard[] = [];
  let withheld = false;
  for (const point of points) {
    try {
      cards.push(cardOf(point, page.href, context));
    } catch (error) {
      if (!(error instanceof DosingAdviceError)) throw error;
      withheld = true;
    }
  }
  return { cards: withheld ? [...cards, WITHHELD_CARD] : cards };
}

function cardOf(point: DiscussionPoint, knowledgeUrl: string, context: CardContext): CdsCard {
  const [cited] = point.sources;
  if (!cited) throw new Error(`Point ${point.ruleId} cites no article row`);
  if (point.summary.length >= 140) throw new Error(`Point ${point.ruleId}: summary too long`);
  const discussed = context.discussed.get(point.ruleId);
  const card: CdsCard = {
    summary: point.summary,
    detail: detailOf(point, context, discussed),
    indicator: discussed ? 'info' : point.indicator,
    source: {
      label: `${cited.articleTitle}: ${cited.tableTitle}, ${cited.rowLabel} (${cited.evidence})`,
      url: `${knowledgeUrl}#${anchorOf(cited.row)}`,
    },
  };
  assertNoDosingAdvice([card.summary, card.detail, card.source.label], `CDS card ${point.ruleId}`);
  return card;
}

const day = (date: Date): string => date.toISOString().slice(0, 10);

function detailOf(point: DiscussionPoint, context: CardContext, discussed?: Date): string {
  const kind =
    point.kind === 'strength' ? 'Strength to acknowledge' : INDICATOR_LABELS[point.indicator];
  const review = context.reviewedAt
    ? `reviewed ${day(context.reviewedAt)}`
    : 'not yet reviewed by a clinician';
  return [
    `_Patient-reported intake sent ${day(context.sentAt)}, questionnaire ${context.questionnaireVersion}, ruleset ${context.rulesetVersion}; ${review}.${discussed ? ` Marked discussed ${day(discussed)}.` : ''}_`,
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
