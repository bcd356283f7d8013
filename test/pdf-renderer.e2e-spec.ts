import { execFileSync, spawn } from 'node:child_process';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { DomainError } from '../src/common/domain-error';
import { PdfRenderer, PdfRendererOptions } from '../src/handouts/pdf-renderer';
import { loadConfig } from '../src/config/app-config';
import { readPdf } from './support/pdf';

const BROWSER = loadConfig({}).pdfBrowserPath;
const renderer = (options: Partial<PdfRendererOptions> = {}) =>
  new PdfRenderer({
    executablePath: BROWSER,
    concurrency: 2,
    maxQueue: 8,
    timeoutMs: 20_000,
    recycleAfter: 500,
    ...options,
  });
const page = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`;

describe('the PDF renderer (real Chromium)', () => {
  describe('reaches nothing', () => {
    let listener: Server;
    let port: number;
    let connections = 0;
    const r = renderer();

    beforeAll(async () => {
      listener = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      port = (listener.address() as { port: number }).port;
    });
    afterAll(async () => {
      await r.close();
      await new Promise((resolve) => listener.close(resolve));
    });

    it('blocks http, https, file, ws, metadata and iframe requests, even without a content security policy', async () => {
      const local = `http://127.0.0.1:${port}`;
      const hostile = page(`
        <h1>Injected</h1>
        <img src="${local}/pixel.png">
        <link rel="stylesheet" href="${local}/style.css">
        <style>@import url("${local}/import.css"); body { background: url("${local}/bg.png"); }</style>
        <iframe src="file:///etc/passwd"></iframe>
        <img src="file:///etc/passwd">
        <img src="http://169.254.169.254/latest/meta-data/">
        <img src="https://example.org/tracker.gif">
        <object data="${local}/object"></object>
        <script>new WebSocket("ws://127.0.0.1:${port}/socket"); fetch("${local}/fetch");</script>
        <p>root:x:0:0</p>`);
      const { pdf, blocked } = await r.render({ html: hostile, paper: 'a4' });

      expect(connections).toBe(0);
      expect(blocked).toEqual(
        expect.arrayContaining([
          `${local}/pixel.png`,
          `${local}/style.css`,
          `${local}/import.css`,
          `${local}/object`,
          'http://169.254.169.254/latest/meta-data/',
          'https://example.org/tracker.gif',
        ]),
      );
      const { text } = readPdf(pdf);
      expect(text).toContain('Injected');
      // file: URLs never even become requests (Chromium refuses them from a web page): the
      // only passwd-like text in the PDF is the paragraph itself.
      expect(text.match(/root:x:0:0/g)).toHaveLength(1);
      expect(blocked.some((url) => url.startsWith('ws:'))).toBe(false); // no script ran to try
    });

    it('runs no JavaScript in the page', async () => {
      const { pdf } = await r.render({
        html: page(
          '<p id="p">static text</p><script>document.getElementById("p").textContent = "JS RAN";</script>',
        ),
        paper: 'a4',
      });
      const { text } = readPdf(pdf);
      expect(text).toContain('static text');
      expect(text).not.toContain('JS RAN');
    });
  });

  it('fails a job cleanly when the browser is killed mid-render, and the next render works', async () => {
    const r = renderer();
    await r.warmUp();
    const firstPid = r.browserPid()!;
    // Hundreds of pages: the render is still running when the browser is killed.
    const heavy = page('<p>' + 'Long handout text. '.repeat(300_000) + '</p>');
    const job = r.render({ html: heavy, paper: 'a4' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(firstPid, 'SIGKILL');
    await expect(job).rejects.toMatchObject({ code: 'unavailable', retryAfter: 2 });

    const next = await r.render({ html: page('<p>after the crash</p>'), paper: 'a4' });
    expect(readPdf(next.pdf).text).toContain('after the crash');
    expect(r.browserPid()).not.toBe(firstPid);
    expect(r.status()).toBe('up');
    await r.close();
  });

  it('answers 503-style when the queue is full, and serves the others', async () => {
    const r = renderer({ concurrency: 1, maxQueue: 1 });
    const jobs = Array.from({ length: 3 }, (_, i) =>
      r.render({ html: page(`<p>job ${i}</p>`), paper: 'a4' }).then(
        () => 'done',
        (error: unknown) =>
          error instanceof DomainError ? `${error.code}:${error.retryAfter}` : 'other',
      ),
    );
    expect((await Promise.all(jobs)).sort()).toEqual(['done', 'done', 'unavailable:2']);
    await r.close();
  });

  it('gives up on a render that takes longer than its time limit', async () => {
    const r = renderer({ timeoutMs: 30 });
    await expect(
      r.render({
        html: page('<p>' + 'x '.repeat(200_000) + '</p>'),
        paper: 'a4',
      }),
    ).rejects.toMatchObject({
      code: 'unavailable',
      message: 'The handout took too long to render. Try again.',
    });
    await r.close();
  });

  it('replaces the browser after a number of renders', async () => {
    const r = renderer({ recycleAfter: 2 });
    await r.warmUp();
    const first = r.browserPid();
    expect(first).toBeDefined();
    await r.render({ html: page('<p>1</p>'), paper: 'letter' });
    expect(r.browserPid()).toBe(first); // still the first browser after one render
    await r.render({ html: page('<p>2</p>'), paper: 'a4' }); // its second: retired
    await r.render({ html: page('<p>3</p>'), paper: 'a4' });
    const second = r.browserPid();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    await r.close();
  });

  it('never outlives the process that owns it: a hard kill takes the browser with it', async () => {
    // The renderer in a process of its own, as the service runs it; it renders once, says so, waits.
    const owner = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        `const { PdfRenderer } = require('./src/handouts/pdf-renderer');
         const r = new PdfRenderer({ executablePath: ${JSON.stringify(BROWSER)}, concurrency: 1, maxQueue: 1, timeoutMs: 20000, recycleAfter: 10 });
         r.render({ html: '<p>x</p>', paper: 'a4' }).then(() => { console.log('rendered'); setInterval(() => {}, 1000); });`,
      ],
      { cwd: join(__dirname, '..'), env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' } },
    );
    await new Promise<void>((resolve, reject) => {
      owner.stdout.on(
        'data',
        (chunk: Buffer) => chunk.toString().includes('rendered') && resolve(),
      );
      owner.once('exit', (code) => reject(new Error(`the owner exited first (${code})`)));
    });
    const children = (): number[] =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(owner.pid)], { encoding: 'utf8' })
        .split('\n')
        .map((line) => Number(line.trim()))
        .filter((pid) => pid > 0);
    const browsers = children();
    expect(browsers.length).toBeGreaterThan(0);

    owner.kill('SIGKILL');
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 10_000;
    while (browsers.some(alive) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(browsers.filter(alive)).toEqual([]);
  });

  it('reuses a page for the next job without carrying anything of the last one into it', async () => {
    const r = renderer({ concurrency: 1 });
    const first = await r.render({ html: page('<h1>First patient SECRET-4471</h1>'), paper: 'a4' });
    const second = await r.render({ html: page('<h1>Second patient</h1>'), paper: 'a4' });
    await r.close();
    expect(readPdf(first.pdf).text).toContain('SECRET-4471');
    const { text } = readPdf(second.pdf);
    expect(text).toContain('Second patient');
    expect(text).not.toContain('SECRET-4471');
    expect(second.blocked).toEqual([]);
  });

  it('gives a job a new page when the kept one has died, rather than failing it', async () => {
    const r = renderer({ concurrency: 1 });
    await r.render({ html: page('<h1>First</h1>'), paper: 'a4' });
    // Kill every renderer process of the browser: the page kept for the next job is dead.
    const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map(([, pid, ppid, args]) => ({ pid: Number(pid), ppid: Number(ppid), args }));
    const tree = [r.browserPid()!];
    for (let i = 0; i < tree.length; i++)
      tree.push(...table.filter((p) => p.ppid === tree[i]).map((p) => p.pid));
    const renderers = table.filter(
      (p) => tree.includes(p.pid) && p.args.includes('--type=renderer'),
    );
    expect(renderers.length).toBeGreaterThan(0);
    for (const { pid } of renderers) process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const second = await r.render({ html: page('<h1>Second, on a new page</h1>'), paper: 'a4' });
    await r.close();
    expect(readPdf(second.pdf).text).toContain('Second, on a new page');
  });
});
