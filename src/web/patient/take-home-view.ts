import type { HandoutView } from '../../handouts/handout-view';
import { PAPER_SIZES, PaperSize } from '../../handouts/handout.entity';

/*
 * The patient's take-home notes as a page: the patient notes handout's own
 * model (handoutView, kind 'patient') laid out for a screen, so the page says
 * exactly what the PDF says. Pure function, no Nest.
 */

const PAPER_LABELS: Readonly<Record<PaperSize, string>> = {
  a4: 'A4',
  letter: 'US Letter',
};

/** A type rather than an interface, so that it is a page model (an object of named values). */
export type TakeHomePage = {
  readonly title: string;
  readonly clinicName: string;
  readonly intakeDay: string;
  readonly protocolLabel: string;
  readonly strengths: readonly string[];
  /** The points to talk about first, then the others, in the handout's order. */
  readonly first: readonly string[];
  readonly also: readonly string[];
  readonly hasConcerns: boolean;
  readonly moreTopics: string;
  /** Pillars with too few answers to say "nothing stood out", joined for a sentence. */
  readonly thinPillars: string;
  readonly barNotes: readonly { pillar: string; text: string }[];
  /** The articles the points rest on, named as the handout names them. */
  readonly references: readonly string[];
  readonly downloads: readonly { paper: PaperSize; label: string }[];
};

export function takeHomeView(notes: HandoutView): TakeHomePage {
  return {
    title: notes.title,
    clinicName: notes.clinicName,
    intakeDay: notes.intakeDay,
    protocolLabel: notes.protocolLabel,
    strengths: notes.strengths.map((point) => point.patientText),
    first: notes.first.map((point) => point.patientText),
    also: notes.pillars.flatMap((pillar) => pillar.points.map((point) => point.patientText)),
    hasConcerns: notes.hasConcerns,
    moreTopics: notes.moreTopics,
    thinPillars: notes.thinPillars.join(', '),
    barNotes: notes.barNotes,
    references: notes.references.filter((ref) => ref.cited).map((ref) => ref.title),
    downloads: PAPER_SIZES.map((paper) => ({ paper, label: PAPER_LABELS[paper] })),
  };
}
