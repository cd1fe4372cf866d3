import { createHash } from 'node:crypto';
import { FedPGError } from '../core/errors';
import type { Figure } from '../plot/figure';
import { renderFigure } from './export';
import { plotlyBundle } from './plotlyBundle';
import { tslabDisplay } from './tslab';

/**
 * How `show` renders a figure in a notebook:
 * - 'html' (default): an interactive plot drawn by plotly.js, which is inlined into the page once per
 *   notebook (no internet needed). Works in classic Jupyter Notebook and in nbconvert's HTML.
 * - 'mime': the `application/vnd.plotly.v1+json` output, rendered natively by JupyterLab and VS Code
 *   (blank in classic Notebook).
 * - 'svg': a static SVG rendered in headless Chromium: shows everywhere, also without JavaScript (GitHub,
 *   nbviewer), but is not interactive.
 */
export type PlotMode = 'html' | 'mime' | 'svg';

let mode: PlotMode = parseMode(process.env.FEDPG_PLOT_MODE);
let bundleShown = false;
let counter = 0;

function parseMode(value: string | undefined): PlotMode {
  if (value === undefined || value === '') return 'html';
  if (value === 'html' || value === 'mime' || value === 'svg') return value;
  throw new FedPGError(`FEDPG_PLOT_MODE must be 'html', 'mime' or 'svg', got ${JSON.stringify(value)}`);
}

/** Set the default mode of `show` for this kernel (initially FEDPG_PLOT_MODE, else 'html'). */
export function setPlotMode(m: PlotMode): void {
  mode = parseMode(m);
}

/** The HTML that loads plotly.js into the page, hiding require.js's `define` (classic Notebook) while it runs. */
export function plotlyLoaderHTML(): string {
  return [
    '<script>window.__fedpgDefine = window.define; window.define = undefined;</script>',
    `<script>${plotlyBundle()}</script>`,
    '<script>window.define = window.__fedpgDefine; (window.__fedpgQueue || []).splice(0).forEach(function (f) { f(); });</script>',
  ].join('\n');
}

/** The HTML of one interactive figure: a div and a script that draws it when plotly.js is there. */
export function figureHTML(figure: Figure, id?: string): string {
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
  ].join('\n');
}

/**
 * Display a figure in the tslab kernel (see PlotMode; `await` it: the 'svg' mode renders in Chromium).
 * Outside a kernel it prints a one-line note instead, so notebook code also runs as a script.
 */
export async function show(figure: Figure, options: { mode?: PlotMode } = {}): Promise<void> {
  const m = options.mode ? parseMode(options.mode) : mode;
  const tslab = tslabDisplay();
  if (!tslab) {
    console.log(`[figure: ${figure.data.length} traces; displayed in notebooks]`);
    return;
  }
  if (m === 'mime') {
    tslab.display.raw('application/vnd.plotly.v1+json', { data: figure.data, layout: figure.layout } as unknown as string);
  } else if (m === 'svg') {
    tslab.display.svg((await renderFigure(figure, 'svg')) as string);
  } else {
    if (!bundleShown) {
      tslab.display.html(plotlyLoaderHTML());
      bundleShown = true;
    }
    tslab.display.html(figureHTML(figure));
  }
}
