import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FedPGError } from '../core/errors';
import { requireOptional } from '../core/optional';
import { plotlyBundle } from './plotlyBundle';
import { inTslabKernel } from './tslab';

/**
 * The headless Chromium that draws static figures (renderFigure, exportFigure, show in png/svg/mime mode,
 * the print layout check), with plotly.js loaded in one page.
 *
 * A process launches its own on first use and closes it when idle. Loading plotly.js (4.9 MB) into a page
 * costs ≈ 2 CPU s, far more than the launch, so a job that executes many kernels (`npm run reproduce`, the
 * notebook tests) starts one shared renderer (`startSharedRenderer`) and passes its DevTools endpoint to the
 * kernels in FEDPG_RENDERER: a process that finds it attaches to that page over the Chrome DevTools
 * Protocol (≈ 70 ms) instead of launching. Figures drawn either way come from the same binary, flags and
 * plotly.js.
 *
 * The exported signatures name no playwright-core type on purpose: tslab reads the declarations of every
 * module a notebook imports, and playwright-core's are 2 MB (≈ 0.4 s on a notebook's first import).
 */

/** The page calls fedpg-lab makes: playwright-core's `Page.evaluate`, with a function and argument or an expression. */
export interface RenderPage {
  evaluate<R, Arg>(pageFunction: (arg: Arg) => R | Promise<R>, arg: Arg): Promise<R>;
  evaluate<R>(expression: string): Promise<R>;
}

/** The environment variable that names a shared renderer's DevTools endpoint (ws://127.0.0.1:…). */
export const RENDERER_ENV = 'FEDPG_RENDERER';

/** The title of the page that holds plotly.js in a shared renderer. */
const RENDERER_TITLE = 'fedpg-lab renderer';

/** Where Chromium is: FEDPG_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.FEDPG_CHROMIUM ?? '/usr/bin/chromium';
}

// Flags for a headless Chromium on a machine with no network and no display (and as root: --no-sandbox).
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>${RENDERER_TITLE}</title></head><body style="margin:0"></body></html>`;

let browser: Promise<Browser> | null = null;
let page: Promise<Page> | null = null;
let pdfPage: Promise<Page> | null = null;
/** The last PDF job: PDFs are printed one after another, as they share one page. */
let pdfQueue: Promise<unknown> = Promise.resolve();
let idle: NodeJS.Timeout | null = null;

function playwright(): typeof import('playwright-core') {
  return requireOptional<typeof import('playwright-core')>('playwright-core', 'Static figure export (renderFigure, exportFigure, show in svg mode)');
}

function checkedChromiumPath(): string {
  const path = chromiumPath();
  if (!existsSync(path)) throw new FedPGError(`Chromium not found at ${path}: run \`bash scripts/setup.sh\` (as root it installs Debian's chromium) or set FEDPG_CHROMIUM to a Chromium binary`);
  return path;
}

/** Load plotly.js into a blank page. */
async function loadPlotly(p: Page): Promise<Page> {
  await p.setContent(PAGE_HTML);
  await p.addScriptTag({ content: plotlyBundle() });
  return p;
}

/** The shared renderer's plotly page, attached over CDP (the renderer keeps running when this process detaches). */
async function attachShared(endpoint: string): Promise<{ browser: Browser; page: Page }> {
  const b = await playwright().chromium.connectOverCDP(endpoint);
  for (const context of b.contexts()) {
    for (const p of context.pages()) if ((await p.title()) === RENDERER_TITLE) return { browser: b, page: p };
  }
  await b.close();
  throw new FedPGError(`${RENDERER_ENV}=${endpoint}: that Chromium has no page titled "${RENDERER_TITLE}" (start it with startSharedRenderer, or unset ${RENDERER_ENV})`);
}

/**
 * The Chromium page with plotly.js loaded (for renders and for measuring drawn figures): the shared
 * renderer's when FEDPG_RENDERER is set, else this process's own, launched once.
 */
export async function plotlyPage(): Promise<RenderPage> {
  if (idle) clearTimeout(idle);
  if (!page) {
    const endpoint = process.env[RENDERER_ENV];
    if (endpoint) {
      const attached = attachShared(endpoint);
      browser = attached.then((a) => a.browser);
      page = attached.then((a) => a.page);
    } else {
      const path = checkedChromiumPath();
      browser = playwright().chromium.launch({ executablePath: path, headless: true, args: CHROMIUM_ARGS });
      page = browser.then(async (b) => loadPlotly(await b.newPage()));
    }
  }
  return page as unknown as Promise<RenderPage>;
}

/**
 * Print `html` to a one-page PDF of `width`×`height` px, in a page of this process's own (the plotly page
 * stays as it is), opened on the first PDF and reused until the renderer closes.
 */
export function printPDF(html: string, width: number, height: number): Promise<Buffer> {
  const job = pdfQueue.then(async () => {
    if (idle) clearTimeout(idle);
    await plotlyPage();
    if (!pdfPage) pdfPage = (browser as Promise<Browser>).then(async (b) => (await b.newContext()).newPage());
    const p = await pdfPage;
    await p.setContent(html);
    return p.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: '1' });
  });
  pdfQueue = job.catch(() => undefined);
  return job;
}

/**
 * Let the Chromium connection close itself after the last use: 2 s in a script (so that it can exit), 20 s
 * in a tslab kernel, where the next figure is usually a few cells away.
 */
export function scheduleClose(): void {
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => void closeRenderer(), inTslabKernel() ? 20000 : 2000);
}

/**
 * Start Chromium (or attach to the shared renderer) and load plotly.js now, without waiting, so that the
 * first static figure of a notebook does not wait for them (called when the package loads in a kernel
 * whose plot mode renders in Chromium). A failure here is silent: the first render reports it.
 */
export function warmRenderer(): void {
  plotlyPage().then(
    () => {
      if (!idle) scheduleClose();
    },
    () => closeRenderer().catch(() => undefined),
  );
}

/** Close this process's Chromium now, or detach from the shared renderer (it also happens 2 s after the last render in a script, 20 s in a kernel). */
export async function closeRenderer(): Promise<void> {
  if (idle) clearTimeout(idle);
  idle = null;
  const b = browser;
  browser = null;
  page = null;
  pdfPage = null;
  if (b) await (await b).close();
}

/** A running shared renderer: its DevTools endpoint (for FEDPG_RENDERER) and how to stop it. */
export interface SharedRenderer {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Launch a Chromium that other processes draw in: plotly.js loaded once in a page titled
 * "fedpg-lab renderer", its DevTools endpoint on 127.0.0.1 at a port the system chooses (any local process
 * can drive it while it runs: start it for a job and close it after). The processes that get the endpoint
 * in FEDPG_RENDERER attach to that page instead of launching their own Chromium. Rejects with Chromium's own
 * output when it does not start within `timeoutMs`.
 */
export async function startSharedRenderer(timeoutMs = 30000): Promise<SharedRenderer> {
  const path = checkedChromiumPath();
  const profile = mkdtempSync(join(tmpdir(), 'fedpg-renderer-'));
  const child = spawn(path, ['--headless', ...CHROMIUM_ARGS, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
    // Chromium's helper processes may still be writing its profile for a moment: retry, and never fail on it.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      /* a leftover folder in the temp dir */
    }
  };
  let endpoint: string;
  let onData: ((chunk: Buffer) => void) | undefined;
  let onExit: ((code: number | null) => void) | undefined;
  try {
    endpoint = await new Promise<string>((done, failed) => {
      let log = '';
      const timer = setTimeout(() => failed(new FedPGError(`Chromium (${path}) did not open its DevTools endpoint within ${timeoutMs} ms:\n${log}`)), timeoutMs);
      onData = (chunk: Buffer) => {
        log += chunk.toString('utf8');
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(log);
        if (found) {
          clearTimeout(timer);
          done(found[1]);
        }
      };
      onExit = (code: number | null) => {
        clearTimeout(timer);
        failed(new FedPGError(`Chromium (${path}) exited with code ${code} before opening its DevTools endpoint:\n${log}`));
      };
      child.stderr.on('data', onData);
      child.on('exit', onExit);
    });
    const b = await playwright().chromium.connectOverCDP(endpoint);
    try {
      const pages = b.contexts()[0]?.pages() ?? [];
      await loadPlotly(pages[0] ?? (await b.contexts()[0].newPage()));
    } finally {
      await b.close();
    }
  } catch (e) {
    await stop();
    throw e;
  }
  // From here on Chromium's log is read and dropped (a full pipe would stall it).
  if (onData) child.stderr.off('data', onData);
  if (onExit) child.off('exit', onExit);
  child.stderr.resume();
  return {
    endpoint,
    close: stop,
  };
}
