import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClinicTime } from '../../src/common/clinic-time';
import { Protocol } from '../../src/common/protocol';
import { loadConfig } from '../../src/config/app-config';
import { PROJECT_ROOT } from '../../src/config/project-root';
import { HandoutTemplates } from '../../src/handouts/handout-templates';
import { handoutView } from '../../src/handouts/handout-view';
import { PdfRenderer, RenderRequest } from '../../src/handouts/pdf-renderer';
import { Answers } from '../../src/content/schema/questionnaire.schema';
import { scoreIntake } from '../../src/intake/scoring';
import { evaluate } from '../../src/rules/evaluate';
import { Figure, percentile, timed } from './figures';
import { treeRssMiB } from './proc';
import { timeWkhtmltopdf, WkhtmltopdfRuns } from './wkhtmltopdf';
import { loadContent } from '../../src/content/content';

/**
 * The PDF renderer on a typical clinician guide: warm, back to back, with a
 * browser launched per request, many at once, and its memory over 1,000 renders;
 * then wkhtmltopdf on the same HTML, for comparison.
 */
export async function benchRenderer(): Promise<Figure[]> {
  const config = loadConfig(process.env);
  const job = clinicianGuideJob();
  const options = {
    executablePath: config.pdfBrowserPath,
    concurrency: config.pdfConcurrency,
    maxQueue: 10_000,
    timeoutMs: 30_000,
    recycleAfter: 500,
  };
  const warm = new PdfRenderer(options);
  await warm.warmUp();
  for (let i = 0; i < 10; i++) await warm.render(job);
  const pages = readPdfPages((await warm.render(job)).pdf);
  // As in a clinic: requests a moment apart, so the next job's context is ready when it comes.
  const warmTimes: number[] = [];
  for (let i = 0; i < 60; i++) {
    warmTimes.push(await timed(() => warm.render(job)));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  warmTimes.sort((a, b) => a - b);
  // Back to back: each job also waits for its context to be made.
  const backToBack: number[] = [];
  for (let i = 0; i < 60; i++) backToBack.push(await timed(() => warm.render(job)));
  backToBack.sort((a, b) => a - b);

  const launchTimes: number[] = [];
  for (let i = 0; i < 10; i++) {
    launchTimes.push(
      await timed(async () => {
        const cold = new PdfRenderer({ ...options, concurrency: 1 });
        try {
          await cold.render(job);
        } finally {
          await cold.close();
        }
      }),
    );
  }
  launchTimes.sort((a, b) => a - b);

  const burst = 120;
  const burstMs = await timed(() =>
    Promise.all(Array.from({ length: burst }, () => warm.render(job))),
  );

  // Memory: a fresh renderer, measured after 10 renders and after 1,000 (recycled every 500).
  const long = new PdfRenderer(options);
  const rssAfter = new Map<number, number>();
  for (let done = 0; done < 1_000;) {
    const batch = Math.min(options.concurrency * 4, 1_000 - done);
    await Promise.all(Array.from({ length: batch }, () => long.render(job)));
    done += batch;
    // Measured on the live browser: after the first batch, and just before the second recycle.
    if (rssAfter.size === 0 || (rssAfter.size === 1 && done >= 990))
      rssAfter.set(done, treeRssMiB(long.browserPid()!));
  }
  await long.close();
  await warm.close();

  // The same HTML through wkhtmltopdf, for comparison: a process per job (none if not installed).
  const wkhtmltopdf = await timeWkhtmltopdf(job);

  const p50 = percentile(warmTimes, 50);
  const launchP50 = percentile(launchTimes, 50);
  return [
    {
      name: `handout: warm render p50 (${pages}-page guide, requests 50 ms apart)`,
      value: p50,
      unit: 'ms',
      target: '<= 110 ms',
    },
    { name: 'handout: warm render p95', value: percentile(warmTimes, 95), unit: 'ms' },
    {
      name: 'handout: warm render p50, requests back to back',
      value: percentile(backToBack, 50),
      unit: 'ms',
    },
    { name: 'handout: browser launched per request p50', value: launchP50, unit: 'ms' },
    {
      name: 'handout: launch-per-request / warm (p50 ratio)',
      value: launchP50 / p50,
      unit: 'x',
      target: '>= 4x',
    },
    {
      name: `handout: throughput, ${burst} at once (concurrency ${options.concurrency})`,
      value: burst / (burstMs / 1000),
      unit: '/s',
      target: '>= 12/s',
    },
    {
      name: `handout: browser memory after ${[...rssAfter.keys()][0]} renders`,
      value: [...rssAfter.values()][0],
      unit: 'MiB',
    },
    {
      name: `handout: browser memory after ${[...rssAfter.keys()][1]} renders`,
      value: [...rssAfter.values()][1],
      unit: 'MiB',
      target: 'flat',
    },
    ...(wkhtmltopdf ? wkhtmltopdfFigures(wkhtmltopdf, p50) : []),
  ];
}

function wkhtmltopdfFigures(runs: WkhtmltopdfRuns, chromiumP50: number): Figure[] {
  const p50 = percentile(runs.times, 50);
  return [
    {
      name: `handout: wkhtmltopdf, same HTML, p50 (${readPdfPages(runs.pdf)}-page guide, runs 50 ms apart)`,
      value: p50,
      unit: 'ms',
    },
    { name: 'handout: wkhtmltopdf, same HTML, p95', value: percentile(runs.times, 95), unit: 'ms' },
    {
      name: 'handout: wkhtmltopdf / Chromium warm (p50 ratio)',
      value: p50 / chromiumP50,
      unit: 'x',
    },
  ];
}

/** The benchmark's job: the clinician guide for a typical persona, on A4. */
export function clinicianGuideJob(): RenderRequest {
  const persona = JSON.parse(
    readFileSync(
      join(PROJECT_ROOT, 'test', 'fixtures', 'personas', 'trt-short-sleep-heavy-drinking.json'),
      'utf8',
    ),
  ) as { protocol: Protocol; answers: Answers };
  const scores = { ...scoreIntake(persona.answers) };
  const result = evaluate(loadContent().knowledgeBase, {
    questionnaire: loadContent().questionnaire,
    answers: persona.answers,
    scores,
    protocol: persona.protocol,
  });
  const templates = new HandoutTemplates();
  const view = handoutView({
    kind: 'clinician',
    clinicName: 'Benchmark Clinic',
    patientName: 'Alex Morgan',
    patientReference: 'B-1',
    protocol: persona.protocol,
    intakeDate: new Date(),
    consent: { version: 1, at: new Date() },
    generatedAt: new Date(),
    articles: loadContent().articles,
    knowledge: loadContent().knowledgeBase,
    questionnaire: loadContent().questionnaire,
    answers: persona.answers,
    scores,
    result,
    marks: {},
    time: new ClinicTime('UTC'),
  });
  return { html: templates.html(view), paper: 'a4' };
}

function readPdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}
