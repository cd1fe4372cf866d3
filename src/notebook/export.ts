import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FedPGError } from '../core/errors';
import { requireOptional } from '../core/optional';
import { FIGURE_SIZE, type Figure } from '../plot/figure';
import { plotlyBundle } from './plotlyBundle';

/** Static formats a figure renders to. */
export type StaticFormat = 'svg' | 'png' | 'pdf';

/** Options of `renderFigure` and `exportFigure`. */
export interface RenderOptions {
  /** Pixels (default: the figure's layout size, else 640×420). */
  width?: number;
  height?: number;
  /** PNG pixel ratio (default 3: 1920×1260 px for the default size, ≈ 290 dpi printed 6.7 in wide). */
  scale?: number;
}

/** Where Chromium is: FEDPG_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.FEDPG_CHROMIUM ?? '/usr/bin/chromium';
}

// Flags for a headless Chromium on a machine with no network and no display (and as root: --no-sandbox).
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

let browser: Promise<Browser> | null = null;
let page: Promise<Page> | null = null;
let idle: NodeJS.Timeout | null = null;

/** Launch Chromium with playwright-core (once; it closes itself after 2 s without work so scripts can exit). */
async function launchChromium(): Promise<Browser> {
  const path = chromiumPath();
  if (!existsSync(path)) throw new FedPGError(`Chromium not found at ${path}: run \`bash scripts/setup.sh\` (as root it installs Debian's chromium) or set FEDPG_CHROMIUM to a Chromium binary`);
  const { chromium } = requireOptional<typeof import('playwright-core')>('playwright-core', 'Static figure export (renderFigure, exportFigure, show in svg mode)');
  return chromium.launch({ executablePath: path, headless: true, args: CHROMIUM_ARGS });
}

async function plotlyPage(): Promise<Page> {
  if (idle) clearTimeout(idle);
  if (!page) {
    browser = launchChromium();
    page = browser.then(async (b) => {
      const p = await b.newPage();
      await p.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0"></body></html>');
      await p.addScriptTag({ content: plotlyBundle() });
      return p;
    });
  }
  return page;
}

function scheduleClose(): void {
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => void closeRenderer(), 2000);
}

/** Close the shared Chromium now (it also closes itself 2 s after the last render). */
export async function closeRenderer(): Promise<void> {
  if (idle) clearTimeout(idle);
  idle = null;
  const b = browser;
  browser = null;
  page = null;
  if (b) await (await b).close();
}

/**
 * Render a figure to SVG (text), PNG or PDF (bytes) in headless Chromium with plotly.js's own exporter
 * (Plotly.toImage); PDF prints the SVG on a page of exactly the figure's size.
 */
export async function renderFigure(figure: Figure, format: StaticFormat, options: RenderOptions = {}): Promise<string | Buffer> {
  const width = options.width ?? (figure.layout.width as number | undefined) ?? FIGURE_SIZE.width;
  const height = options.height ?? (figure.layout.height as number | undefined) ?? FIGURE_SIZE.height;
  const p = await plotlyPage();
  try {
    const url = await p.evaluate(
      ({ fig, fmt, w, h, s }) => (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly.toImage({ data: fig.data, layout: fig.layout }, { format: fmt, width: w, height: h, scale: s }),
      { fig: figure, fmt: format === 'png' ? 'png' : 'svg', w: width, h: height, s: format === 'png' ? (options.scale ?? 3) : 1 },
    );
    if (format === 'png') return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
    const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    if (format === 'svg') return svg;
    const b = await (browser as Promise<Browser>);
    const pdfPage = await b.newPage();
    try {
      await pdfPage.setContent(`<!doctype html><html><head><style>@page{size:${width}px ${height}px;margin:0}body{margin:0}</style></head><body>${svg}</body></html>`);
      return await pdfPage.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: '1' });
    } finally {
      await pdfPage.close();
    }
  } finally {
    scheduleClose();
  }
}

/**
 * Write a figure to `path` as SVG, PNG or PDF, chosen by the extension (publication size and fonts from
 * plot/figure.ts; PNG at 3× pixel density). Creates the folder. Returns the path.
 */
export async function exportFigure(figure: Figure, path: string, options: RenderOptions = {}): Promise<string> {
  const ext = extname(path).slice(1).toLowerCase();
  if (ext !== 'svg' && ext !== 'png' && ext !== 'pdf') throw new FedPGError(`exportFigure: path must end in .svg, .png or .pdf, got ${JSON.stringify(path)}`);
  const out = await renderFigure(figure, ext, options);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, out);
  return path;
}
