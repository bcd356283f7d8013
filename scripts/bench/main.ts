/* eslint-disable no-console -- a benchmark prints its figures */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Protocol } from '../src/common/protocol';
import { PROJECT_ROOT } from '../src/config/project-root';
import { CURRENT_QUESTIONNAIRE } from '../src/intake/questionnaire/questionnaire';
import { Answers } from '../src/intake/questionnaire/questionnaire.types';
import { scoreIntake } from '../src/intake/scoring';
import { evaluate, EvaluationInput } from '../src/rules/evaluate';
import { loadConfig } from '../src/config/app-config';
import { HandoutTemplates } from '../src/handouts/handout-templates';
import { handoutView } from '../src/handouts/handout-view';
import { PdfRenderer } from '../src/handouts/pdf-renderer';
import { loadKnowledgeBase } from '../src/rules/knowledge-base.files';

/**
 * `npm run bench`: prints a table of figures and writes the same to
 * bench-results/bench.json. Figures, not assertions: targets are checked by
 * reading them.
 */

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function benchRules(): Figure[] {
  const kb = loadKnowledgeBase();
  const dir = join(PROJECT_ROOT, 'test', 'fixtures', 'personas');
  const inputs: EvaluationInput[] = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map(
      (f) =>
        JSON.parse(readFileSync(join(dir, f), 'utf8')) as { protocol: Protocol; answers: Answers },
    )
    .map((p) => ({
      questionnaire: CURRENT_QUESTIONNAIRE,
      answers: p.answers,
      scores: { ...scoreIntake(p.answers) },
      protocol: p.protocol,
    }));
  for (let i = 0; i < 5_000; i++) evaluate(kb, inputs[i % inputs.length]); // warm up the JIT

  const runs = 50_000;
  const times = new Float64Array(runs);
  let points = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    points += evaluate(kb, inputs[i % inputs.length]).points.length;
    times[i] = Number(process.hrtime.bigint() - t0) / 1_000; // microseconds
  }
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = [...times].sort((a, b) => a - b);
  if (points === 0) throw new Error('No rule fired: the benchmark measures nothing');
  return [
    {
      name: `rules: evaluate one intake (${kb.rules.length} rules), p50`,
      value: percentile(sorted, 50),
      unit: 'µs',
      target: '< 1000 µs',
    },
    { name: 'rules: evaluate one intake, p95', value: percentile(sorted, 95), unit: 'µs' },
    { name: 'rules: evaluate one intake, p99', value: percentile(sorted, 99), unit: 'µs' },
    { name: 'rules: evaluations per second (one core)', value: runs / totalSeconds, unit: '/s' },
  ];
}

/** Resident memory of a process and all its descendants (the browser's renderer processes), in MiB. */
function treeRssMiB(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let kib = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // Gone.
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return kib / 1024;
}

async function benchHandouts(): Promise<Figure[]> {
  const config = loadConfig(process.env);
  const persona = JSON.parse(
    readFileSync(
      join(PROJECT_ROOT, 'test', 'fixtures', 'personas', 'trt-short-sleep-heavy-drinking.json'),
      'utf8',
    ),
  ) as { protocol: Protocol; answers: Answers };
  const scores = { ...scoreIntake(persona.answers) };
  const result = evaluate(loadKnowledgeBase(), {
    questionnaire: CURRENT_QUESTIONNAIRE,
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
    generatedAt: new Date(),
    questionnaire: CURRENT_QUESTIONNAIRE,
    answers: persona.answers,
    scores,
    result,
  });
  const job = {
    html: templates.html(view),
    paper: 'a4' as const,
    footerHtml: templates.footerHtml(view),
  };
  const options = {
    executablePath: config.pdfBrowserPath,
    concurrency: config.pdfConcurrency,
    maxQueue: 10_000,
    timeoutMs: 30_000,
    recycleAfter: 500,
  };
  const timed = async (work: () => Promise<unknown>): Promise<number> => {
    const t0 = process.hrtime.bigint();
    await work();
    return Number(process.hrtime.bigint() - t0) / 1e6;
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
  ];
}

function readPdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

async function main(): Promise<void> {
  const figures = [...benchRules(), ...(await benchHandouts())];
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  console.log(`\nBenchmark, ${new Date().toISOString()} on ${machine}\n`);
  const width = Math.max(...figures.map((f) => f.name.length));
  for (const f of figures) {
    const value = f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(2);
    console.log(
      `${f.name.padEnd(width)}  ${value.padStart(10)} ${f.unit.padEnd(4)} ${f.target ? `(target ${f.target})` : ''}`,
    );
  }
  const out = join(PROJECT_ROOT, 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'bench.json'),
    JSON.stringify({ at: new Date().toISOString(), machine, figures }, null, 2),
  );
  console.log(`\nWritten to bench-results/bench.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
