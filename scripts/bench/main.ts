/* eslint-disable no-console -- a benchmark prints its figures */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/project-root';
import { Figure } from './figures';
import { benchQueue } from './queue';
import { benchRenderer } from './renderer';
import { benchRules } from './rules';
import { benchService } from './service-figures';
import { benchColdStart, benchSubmissions } from './submissions';

/**
 * `npm run bench`: prints a table of figures and writes the same to
 * bench-results/bench.json. Figures, not assertions: targets are checked by
 * reading them.
 */
async function main(): Promise<void> {
  // `npm run bench -- service` runs only the named sections.
  const only = process.argv.slice(2);
  const sections: [string, () => Figure[] | Promise<Figure[]>][] = [
    ['rules', benchRules],
    ['renderer', benchRenderer],
    ['queue', benchQueue],
    ['service', benchService],
    ['submissions', benchSubmissions],
    ['start', benchColdStart],
  ];
  const figures: Figure[] = [];
  for (const [name, run] of sections)
    if (only.length === 0 || only.includes(name)) figures.push(...(await run()));
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
