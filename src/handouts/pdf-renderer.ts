import { Logger, OnApplicationShutdown } from '@nestjs/common';
import puppeteer, { Browser, BrowserContext, Page, PaperFormat } from 'puppeteer-core';
import { DomainError, ErrorCode } from '../common/domain-error';

export interface PdfRendererOptions {
  readonly executablePath: string;
  /** Renders at once; more wait in the queue. */
  readonly concurrency: number;
  /** Renders allowed to wait; beyond that, 503 with Retry-After. */
  readonly maxQueue: number;
  readonly timeoutMs: number;
  /** A browser is replaced after this many renders, to keep its memory flat. */
  readonly recycleAfter: number;
}

export interface RenderRequest {
  readonly html: string;
  /** The page's CSS gives the margins and any footer (page-margin boxes). */
  readonly paper: 'a4' | 'letter';
}

export interface RenderResult {
  readonly pdf: Buffer;
  /** Every request the page tried and was refused (for tests and logs). */
  readonly blocked: readonly string[];
}

export type RendererStatus = 'idle' | 'up' | 'down';

/**
 * Chromium flags: those that work as root in a container, plus a proxy that
 * does not exist and a resolver that resolves nothing, so that even a request
 * that slipped past interception could reach no host.
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-extensions',
  '--mute-audio',
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

interface Instance {
  readonly browser: Browser;
  renders: number;
  inFlight: number;
  retired: boolean;
  /** A context and page made ahead of the next job, so a job need not wait for one. */
  spare?: Promise<Prepared>;
  /** Pages that finished a job cleanly, kept for the next ones. */
  readonly idle: Prepared[];
}

/** A context and page of its own, JavaScript off, every request refused. */
interface Prepared {
  readonly context: BrowserContext;
  readonly page: Page;
  /** What the page tried to fetch during the current job. */
  blocked: string[];
  /** Jobs it has rendered. */
  uses: number;
  /** Its renderer process crashed while it waited: never given a job. */
  dead: boolean;
}

/**
 * How many jobs one page renders before it is closed. Making a context and
 * page costs about as much CPU as rendering a guide, so a page serves a run
 * of jobs: each job replaces the whole document (no JavaScript runs, nothing
 * is stored, nothing is fetched), and a page that fails or times out is
 * closed at once rather than reused.
 */
const PAGE_USES = 50;

/**
 * Renders HTML to PDF with one long-lived Chromium. Each page has a browser
 * context of its own and serves up to PAGE_USES jobs, one at a time, each
 * writing a whole new document into it; a page that fails or times out is
 * closed. At most `concurrency` jobs at once, a bounded queue, a time limit
 * per job. JavaScript is off in the page, the document is written into it
 * over the DevTools connection, and every request the page then makes is
 * refused. A browser that crashes or disconnects is replaced at the next job;
 * one that has rendered `recycleAfter` jobs is retired once idle.
 */
export class PdfRenderer implements OnApplicationShutdown {
  private readonly logger = new Logger(PdfRenderer.name);
  private current: Instance | undefined;
  private launching: Promise<Instance> | undefined;
  private failedLaunch = false;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /** Renders running and waiting for a turn, for the metrics. */
  load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  constructor(private readonly options: PdfRendererOptions) {}

  status(): RendererStatus {
    if (this.current?.browser.connected) return 'up';
    return this.failedLaunch ? 'down' : 'idle';
  }

  /** The browser's process id, for the benchmark's memory figures and fault tests. */
  browserPid(): number | undefined {
    return this.current?.browser.process()?.pid;
  }

  /** Starts the browser ahead of the first render. */
  async warmUp(): Promise<void> {
    await this.instance();
  }

  async render(request: RenderRequest): Promise<RenderResult> {
    await this.acquire();
    try {
      return await this.withTimeout((signal) => this.renderOnce(request, signal, true));
    } catch (error) {
      // A kept page that failed (its renderer process died, say) is closed; the job gets a new one.
      if (!(error instanceof StalePageError)) throw error;
      return await this.withTimeout((signal) => this.renderOnce(request, signal, false));
    } finally {
      this.release();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const instance = this.current;
    this.current = undefined;
    await instance?.browser.close().catch(() => undefined);
  }

  private async renderOnce(
    request: RenderRequest,
    signal: AbortSignal,
    mayReuse: boolean,
  ): Promise<RenderResult> {
    const instance = await this.instance();
    instance.inFlight++;
    let prepared: Prepared | undefined;
    let reused = false;
    try {
      const idle = mayReuse ? this.takeIdle(instance) : undefined;
      reused = idle !== undefined;
      prepared = idle ?? (await this.takeSpare(instance));
      prepared.blocked = [];
      const taken = prepared;
      signal.addEventListener('abort', () => void taken.context.close().catch(() => undefined));
      // Written into the blank page, not navigated to: no request at all, even for the document.
      await prepared.page.setContent(request.html, {
        waitUntil: 'load',
        timeout: this.options.timeoutMs,
      });
      const pdf = await prepared.page.pdf({
        format: (request.paper === 'letter' ? 'Letter' : 'A4') as PaperFormat,
        printBackground: true,
        tagged: true,
        timeout: this.options.timeoutMs,
      });
      const result = { pdf: Buffer.from(pdf), blocked: [...prepared.blocked] };
      if (!signal.aborted && ++prepared.uses < PAGE_USES && !instance.retired) {
        instance.idle.push(prepared);
        prepared = undefined; // kept: not closed below
      }
      return result;
    } catch (error) {
      if (signal.aborted) throw unavailable('The handout took too long to render. Try again.');
      if (!instance.browser.connected) {
        throw unavailable('The PDF renderer stopped while making this handout. Try again.');
      }
      if (reused) throw new StalePageError();
      throw error;
    } finally {
      // Closed here whatever happened; not awaited, so the PDF is not held up by the teardown.
      void prepared?.context.close().catch(() => undefined);
      instance.inFlight--;
      instance.renders++;
      if (instance.renders >= this.options.recycleAfter) this.retire(instance);
      if (instance.retired && instance.inFlight === 0)
        void instance.browser.close().catch(() => undefined);
      else this.prepareNext(instance);
    }
  }

  /** A page that rendered cleanly before and is still alive, if one is free. */
  private takeIdle(instance: Instance): Prepared | undefined {
    for (let page = instance.idle.pop(); page; page = instance.idle.pop()) {
      if (!page.dead && !page.page.isClosed()) return page;
      void page.context.close().catch(() => undefined);
    }
    return undefined;
  }

  /** The prepared context for this job, or one made now if none is ready. */
  private takeSpare(instance: Instance): Promise<Prepared> {
    const ready = instance.spare ?? this.prepare(instance);
    instance.spare = undefined;
    return ready;
  }

  /** Makes the next job's context once this one is done, so the two do not compete for the CPU. */
  private prepareNext(instance: Instance): void {
    if (instance.retired || instance.spare || !instance.browser.connected) return;
    // Enough reusable pages for the jobs allowed at once: no spare needed.
    if (instance.idle.length >= this.options.concurrency) return;
    const spare = this.prepare(instance);
    instance.spare = spare;
    spare.catch(() => {
      if (instance.spare === spare) instance.spare = undefined;
    });
  }

  private async prepare(instance: Instance): Promise<Prepared> {
    const context = await instance.browser.createBrowserContext();
    try {
      const page = await context.newPage();
      const prepared: Prepared = { context, page, blocked: [], uses: 0, dead: false };
      // Puppeteer reports a crashed renderer as the page's 'error' event.
      page.on('error', () => (prepared.dead = true));
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      page.on('request', (intercepted) => {
        const url = intercepted.url();
        prepared.blocked.push(url.startsWith('data:') ? `data:${url.slice(5, 40)}…` : url);
        void intercepted.abort('blockedbyclient');
      });
      return prepared;
    } catch (error) {
      await context.close().catch(() => undefined);
      throw error;
    }
  }

  private async instance(): Promise<Instance> {
    if (this.current?.browser.connected && !this.current.retired) return this.current;
    this.launching ??= this.launch().finally(() => (this.launching = undefined));
    return this.launching;
  }

  private async launch(): Promise<Instance> {
    try {
      const browser = await puppeteer.launch({
        executablePath: this.options.executablePath,
        // The old headless shell renders PDFs about three times faster than full Chromium.
        headless: this.options.executablePath.endsWith('headless-shell') ? 'shell' : true,
        args: ARGS,
        // DevTools over a pipe rather than a port: when this process dies, however hard, the
        // pipe closes and Chromium exits with it, so no browser outlives its owner.
        pipe: true,
        // The service's own shutdown closes the browser, after requests in flight finish.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
      const instance: Instance = { browser, renders: 0, inFlight: 0, retired: false, idle: [] };
      browser.on('disconnected', () => {
        if (this.current === instance) {
          this.current = undefined;
          if (!instance.retired)
            this.logger.warn('PDF browser disconnected; the next render starts a new one');
        }
      });
      this.current = instance;
      this.failedLaunch = false;
      return instance;
    } catch (error) {
      this.failedLaunch = true;
      this.logger.error({ err: error }, 'PDF browser could not start');
      throw unavailable('The PDF renderer could not start. Try again shortly.');
    }
  }

  private retire(instance: Instance): void {
    if (instance.retired) return;
    instance.retired = true;
    if (this.current === instance) this.current = undefined;
    void instance.spare?.then((spare) => spare.context.close()).catch(() => undefined);
    instance.spare = undefined;
    for (const page of instance.idle.splice(0)) void page.context.close().catch(() => undefined);
  }

  private acquire(): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.maxQueue) {
      throw unavailable('Handouts are busy right now. Try again in a few seconds.');
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes straight to the next job
    else this.active--;
  }

  private async withTimeout<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      return await work(controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A kept page failed: the job is tried once more on a new page. */
class StalePageError extends Error {}

function unavailable(message: string): DomainError {
  return new DomainError(ErrorCode.Unavailable, message, [], 2);
}
