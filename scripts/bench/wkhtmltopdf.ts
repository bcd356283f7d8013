import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RenderRequest } from '../../src/handouts/pdf-renderer';
import { ascending, timed } from './figures';

const run = promisify(execFile);

/**
 * As in the Chromium renderer: JavaScript off, no local file but the input, and
 * a proxy that does not exist, so that no request could leave the machine (the
 * handout needs none: its stylesheet and font are inlined). The margins are
 * handout.css's `@page` margins, which this WebKit does not read.
 */
const OPTIONS = [
  '--quiet',
  '--disable-javascript',
  '--disable-local-file-access',
  '--proxy',
  'http://127.0.0.1:9',
  '--margin-top',
  '16mm',
  '--margin-right',
  '15mm',
  '--margin-bottom',
  '20mm',
  '--margin-left',
  '15mm',
];

export interface WkhtmltopdfRuns {
  /** Milliseconds from spawn to exit with the PDF written, ascending. */
  readonly times: number[];
  readonly pdf: Buffer;
}

/**
 * wkhtmltopdf (Debian's, on Qt WebKit; `npm run bench` installs it) on the
 * same HTML as the Chromium renderer, a process per job as it is used: a few
 * runs to warm the disk cache, then `runs` runs 50 ms apart. Undefined, with a
 * line saying so, when it is not installed.
 */
export async function timeWkhtmltopdf(
  job: RenderRequest,
  runs = 40,
): Promise<WkhtmltopdfRuns | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wkhtmltopdf-'));
  // Qt's offscreen platform: no X server needed. Its runtime directory is ours, to keep it quiet.
  const env = { ...process.env, QT_QPA_PLATFORM: 'offscreen', XDG_RUNTIME_DIR: dir };
  try {
    try {
      await run('wkhtmltopdf', ['--version'], { env });
    } catch {
      // eslint-disable-next-line no-console -- a benchmark says what it skipped
      console.log(
        'wkhtmltopdf is not installed (`bash scripts/setup.sh --bench` installs it): no wkhtmltopdf figures.',
      );
      return undefined;
    }
    const input = join(dir, 'handout.html');
    const output = join(dir, 'handout.pdf');
    writeFileSync(input, job.html);
    const args = [
      ...OPTIONS,
      '--page-size',
      job.paper === 'letter' ? 'Letter' : 'A4',
      input,
      output,
    ];
    const once = () => run('wkhtmltopdf', args, { env, timeout: 30_000 });
    for (let i = 0; i < 5; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      times.push(await timed(once));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { times: ascending(times), pdf: readFileSync(output) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
