import { createHash } from 'node:crypto';
import { FedPGError } from '../core/errors';
import { FIGURE_SIZE, type Figure } from '../plot/figure';
import { warmRenderer } from './chromium';
import { renderFigure } from './export';
import { checkNotebookFigure } from './figureCheck';
import { plotlyBundle } from './plotlyBundle';
import { recordFigure, recordFigureLayout } from './results';
import { displayBundle, inTslabKernel, tslabDisplay } from './tslab';

/**
 * How `show` renders a figure in a notebook:
 * - 'html' (default): an interactive plot drawn by plotly.js, which the page loads once per Jupyter
 *   session from the copy Jupyter serves (`<base>/nbextensions/fedpg-lab/plotly.min.js`, installed by
 *   `npm start` and the setup); the saved notebook holds only the figure's data (a few kB).
 * - 'inline': interactive too, with plotly.js (4.9 MB) inlined into the notebook once: for a notebook that
 *   must work outside a Jupyter server that serves the file (a standalone HTML copy, VS Code).
 * - 'png': a static PNG rendered in headless Chromium: shows everywhere (untrusted notebooks, nbconvert's
 *   HTML, GitHub); the notebooks that `npm run reproduce` and the tests execute use it.
 * - 'svg': a static SVG (vector; shown by trusted notebooks, JupyterLab and VS Code; hidden in untrusted
 *   classic notebooks, and stripped by nbconvert 6's HTML sanitiser unless converted as
 *   scripts/notebook_driver.py does, into an <img>).
 * - 'mime': the `application/vnd.plotly.v1+json` output, rendered natively by JupyterLab and VS Code, with
 *   a PNG of the figure in the same output for the front ends that do not know that type (classic
 *   Notebook, nbconvert's HTML, GitHub).
 */
export type PlotMode = 'html' | 'inline' | 'png' | 'svg' | 'mime';

const MODES: readonly PlotMode[] = ['html', 'inline', 'png', 'svg', 'mime'];

let mode: PlotMode = parseMode(process.env.FEDPG_PLOT_MODE);
let bundleInlined = false;
let counter = 0;

// In a kernel whose figures are drawn in Chromium, start it while the first cells run.
if ((mode === 'png' || mode === 'svg' || mode === 'mime') && inTslabKernel()) warmRenderer();

function parseMode(value: string | undefined): PlotMode {
  if (value === undefined || value === '') return 'html';
  if ((MODES as readonly string[]).includes(value)) return value as PlotMode;
  throw new FedPGError(`plot mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(value)} (FEDPG_PLOT_MODE or setPlotMode)`);
}

/** Set the default mode of `show` for this kernel (initially FEDPG_PLOT_MODE, else 'html'). */
export function setPlotMode(m: PlotMode): void {
  mode = parseMode(m);
  if ((mode === 'png' || mode === 'svg' || mode === 'mime') && inTslabKernel()) warmRenderer();
}

/** The current default mode of `show`. */
export function plotMode(): PlotMode {
  return mode;
}

/** Where Jupyter serves plotly.js, relative to its base URL (scripts/notebooks.ts installs the file there). */
export const PLOTLY_SERVED_PATH = 'nbextensions/fedpg-lab/plotly.min.js';

/**
 * The HTML that inlines plotly.js into a page (4.9 MB), hiding require.js's `define` (classic Notebook)
 * while it runs, then draws the figures waiting for it. Only for pages that must stand alone.
 */
export function plotlyLoaderHTML(): string {
  return [
    '<script>window.__fedpgDefine = window.define; window.define = undefined;</script>',
    `<script>${plotlyBundle()}</script>`,
    '<script>window.define = window.__fedpgDefine; (window.__fedpgQueue || []).splice(0).forEach(function (f) { f(); });</script>',
  ].join('\n');
}

/**
 * A small script that loads plotly.js once per page from the copy the Jupyter server serves, through
 * require.js when the page has it (classic Notebook) and a script tag otherwise, then draws the queued
 * figures; when the file cannot be loaded each waiting figure says why instead of staying blank.
 */
function servedLoaderScript(): string {
  return `(function () {
  if (window.Plotly || window.__fedpgLoading) return;
  window.__fedpgLoading = true;
  var cfg = document.getElementById('jupyter-config-data');
  var base = (document.body && document.body.getAttribute('data-base-url')) || (cfg ? JSON.parse(cfg.textContent).baseUrl : '') || '/';
  var url = base.replace(/\\/?$/, '/') + ${JSON.stringify(PLOTLY_SERVED_PATH)};
  function ready(P) { if (P && !window.Plotly) window.Plotly = P; (window.__fedpgQueue || []).splice(0).forEach(function (f) { f(); }); }
  function failed() {
    window.__fedpgLoading = false;
    document.querySelectorAll('.fedpg-plot:empty').forEach(function (d) { d.textContent = 'plotly.js could not be loaded from ' + url + ': open the notebook in the Jupyter of \`npm start\`, or call setPlotMode(\\'inline\\') or setPlotMode(\\'png\\') and run the cell again.'; });
  }
  if (window.requirejs) {
    window.requirejs.config({ paths: { 'fedpg-plotly': url.replace(/\\.js$/, '') } });
    window.requirejs(['fedpg-plotly'], ready, failed);
  } else {
    var s = document.createElement('script');
    s.src = url;
    s.onload = function () { ready(window.Plotly); };
    s.onerror = failed;
    document.head.appendChild(s);
  }
})();`;
}

/** The HTML of one interactive figure: a div and a script that draws it when plotly.js is there (`served`: and loads it from Jupyter). */
export function figureHTML(figure: Figure, id?: string, options: { served?: boolean } = {}): string {
  const json = JSON.stringify({ data: figure.data, layout: figure.layout }).replace(/</g, '\\u003c');
  const divId = id ?? `fedpg-plot-${++counter}-${createHash('sha1').update(json).digest('hex').slice(0, 8)}`;
  const w = figure.layout.width as number | undefined;
  const h = figure.layout.height as number | undefined;
  return [
    `<div id="${divId}" class="fedpg-plot" style="${w ? `width:${w}px;` : ''}${h ? `height:${h}px;` : ''}"></div>`,
    '<script>(function () {',
    `  var fig = ${json};`,
    `  function draw() { window.Plotly.newPlot(${JSON.stringify(divId)}, fig.data, fig.layout, { displaylogo: false, responsive: false }); }`,
    '  if (window.Plotly) draw(); else (window.__fedpgQueue = window.__fedpgQueue || []).push(draw);',
    '})();</script>',
    ...(options.served ? [`<script>${servedLoaderScript()}</script>`] : []),
  ].join('\n');
}

/** A standalone HTML page of one or more interactive figures, plotly.js inlined (opens offline from a file). */
export function standaloneHTML(figures: readonly Figure[], title = 'fedpg-lab figure'): string {
  const esc = title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc}</title></head><body>\n${figures.map((f) => figureHTML(f)).join('\n')}\n${plotlyLoaderHTML()}\n</body></html>\n`;
}

/** The figure's title text without markup (the alt text of static outputs). */
function titleText(figure: Figure): string {
  const t = figure.layout.title as { text?: string } | string | undefined;
  const text = typeof t === 'string' ? t : (t?.text ?? '');
  return text.split('<br>')[0].replace(/<[^>]+>/g, '').trim();
}

/**
 * Display a figure in the tslab kernel (see PlotMode; `await` it: 'png' and 'svg' render in Chromium).
 * Outside a kernel it prints a one-line note instead, so notebook code also runs as a script.
 */
export async function show(figure: Figure, options: { mode?: PlotMode } = {}): Promise<void> {
  const m = options.mode ? parseMode(options.mode) : mode;
  const tslab = tslabDisplay();
  if (!tslab) {
    console.log(`[figure: ${figure.data.length} traces; displayed in notebooks]`);
    return;
  }
  const alt = `[figure: ${titleText(figure) || `${figure.data.length} traces`}]`;
  const width = (figure.layout.width as number | undefined) ?? FIGURE_SIZE.width;
  const height = (figure.layout.height as number | undefined) ?? FIGURE_SIZE.height;
  // PNGs are rendered at 1.25× and shown at the figure's CSS size: sharper than 1× on high-density screens at
  // well under half the bytes of 2× (≈ 60–110 kB each in the notebook; notebook 05's 6 figures: 0.77 MB).
  const png = async () => ((await renderFigure(figure, 'png', { scale: 1.25 })) as Buffer).toString('base64');
  if (m === 'mime') {
    displayBundle({ 'application/vnd.plotly.v1+json': { data: figure.data, layout: figure.layout }, 'image/png': await png(), 'text/plain': alt }, { 'image/png': { width, height } });
  } else if (m === 'png') {
    displayBundle({ 'image/png': await png(), 'text/plain': alt }, { 'image/png': { width, height } });
  } else if (m === 'svg') {
    displayBundle({ 'image/svg+xml': (await renderFigure(figure, 'svg')) as string, 'text/plain': alt });
  } else if (m === 'inline') {
    if (!bundleInlined) {
      tslab.display.html(plotlyLoaderHTML());
      bundleInlined = true;
    }
    displayBundle({ 'text/html': figureHTML(figure), 'text/plain': alt });
  } else {
    displayBundle({ 'text/html': figureHTML(figure, undefined, { served: true }), 'text/plain': alt });
  }
  recordFigure(titleText(figure), m);
  const problems = await layoutProblems(figure);
  if (problems) recordFigureLayout(problems);
}

/**
 * With FEDPG_LAYOUT_CHECK set (the executed copies of `npm run reproduce`, `npm run notebook` and the tests),
 * the layout check of every figure shown (notebook/figureCheck.ts, at notebook size): recorded with the
 * figure in the notebook's side file, never shown in the notebook.
 */
async function layoutProblems(figure: Figure): Promise<string[] | undefined> {
  if (!process.env[LAYOUT_CHECK_ENV]) return undefined;
  const check = await checkNotebookFigure(figure);
  return check.problems.map((p) => `${p.kind}: ${p.detail}`);
}

/** The variable that asks `show` to check the layout of every figure it shows. */
export const LAYOUT_CHECK_ENV = 'FEDPG_LAYOUT_CHECK';
