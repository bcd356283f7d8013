import { ClinicTime } from '../../src/common/clinic-time';
import type { Protocol } from '../../src/common/protocol';
import { loadConfig } from '../../src/config/app-config';
import { loadContent } from '../../src/content/content';
import type { Answers } from '../../src/content/schema/questionnaire.schema';
import type { HandoutKind } from '../../src/handouts/handout.entity';
import { HandoutView, handoutView } from '../../src/handouts/handout-view';
import { HandoutTemplates } from '../../src/handouts/handout-templates';
import { htmlToText } from '../../src/handouts/html-text';
import { PdfRenderer } from '../../src/handouts/pdf-renderer';
import { scoreIntake } from '../../src/intake/scoring';
import { AssessmentResult, evaluate } from '../../src/rules/evaluate';
import { assertNoDosingAdvice, DosingAdviceError } from '../../src/safety/dosing-guard';
import { readPdf } from './pdf';

/*
 * Handouts made from answers the way the service makes them (score,
 * evaluate, view, template, dosing guard, real Chromium), without a database:
 * for tests that render many intakes and count pages.
 */

export interface Assessed {
  readonly answers: Answers;
  readonly protocol: Protocol;
  readonly scores: Record<string, unknown>;
  readonly result: AssessmentResult;
}

export interface Rendered {
  readonly view: HandoutView;
  /** What the service's dosing guard finds in it: the service would refuse it if any. */
  readonly refused: readonly string[];
  readonly text: string;
  readonly pages: number;
  readonly pageSize: string;
}

export interface Names {
  readonly clinicName: string;
  readonly patientName: string;
  readonly patientReference: string | null;
}

export class HandoutHarness {
  readonly content = loadContent();
  private readonly templates = new HandoutTemplates();
  private readonly renderer = new PdfRenderer({
    executablePath: loadConfig({}).pdfBrowserPath,
    concurrency: 2,
    maxQueue: 64,
    timeoutMs: 30_000,
    recycleAfter: 500,
  });

  constructor(private readonly names: Names) {}

  assess(protocol: Protocol, answers: Answers): Assessed {
    const scores = scoreIntake(answers) as unknown as Record<string, unknown>;
    const result = evaluate(this.content.knowledgeBase, {
      questionnaire: this.content.questionnaire,
      answers,
      scores,
      protocol,
    });
    return { answers, protocol, scores, result };
  }

  async render(assessed: Assessed, kind: HandoutKind, paper: 'a4' | 'letter'): Promise<Rendered> {
    const view = handoutView({
      kind,
      articles: this.content.articles,
      knowledge: this.content.knowledgeBase,
      ...this.names,
      protocol: assessed.protocol,
      intakeDate: new Date('2026-12-01T10:00:00Z'),
      consent: { version: 1, at: new Date('2026-12-01T09:30:00Z') },
      generatedAt: new Date('2026-12-06T10:00:00Z'),
      questionnaire: this.content.questionnaire,
      answers: assessed.answers,
      scores: assessed.scores,
      result: assessed.result,
      time: ClinicTime.of('UTC'),
      marks: {},
    });
    const html = this.templates.html(view);
    const refused = guardFindings(html, this.templates.footerText(view));
    const { pdf } = await this.renderer.render({ html, paper });
    return { view, refused, ...readPdf(Buffer.from(pdf)) };
  }

  close(): Promise<void> {
    return this.renderer.close();
  }
}

function guardFindings(html: string, footer: string): string[] {
  try {
    assertNoDosingAdvice([htmlToText(html), footer], 'handout');
    return [];
  } catch (error) {
    if (!(error instanceof DosingAdviceError)) throw error;
    return error.findings.map((f) => `${f.rule}: ${f.match}`);
  }
}
