import { type AxesOptions, baseLayout, colour, DASHES, type Figure, FONT, SYMBOLS, type Trace } from './figure';
import { finishFigure } from './presets';

/** A diverging colour scale centred on 0, colour-blind safe (blue–white–vermillion, Okabe–Ito ends). */
export const DIVERGING: [number, string][] = [
  [0, '#0072B2'],
  [0.5, '#ffffff'],
  [1, '#D55E00'],
];

/** Options of the gradient heatmaps. */
export interface HeatmapOptions extends AxesOptions {
  stateNames?: readonly string[];
  actionNames?: readonly string[];
  /** Subplot titles, one per table (default "agent i"). */
  names?: readonly string[];
  /** Tables per row of the grid (default min(count, 4)). */
  columns?: number;
  /** Title of the colour bar: what the colour means (default 'value'). */
  colorbarTitle?: string;
}

/** Widest figure a notebook's output area shows without a scroll bar (classic Notebook and JupyterLab). */
export const NOTEBOOK_WIDTH = 900;

/**
 * State × action heatmaps of one or more S·A tables (gradients ĝ_i, corrections c̄ − c_i, advantages), laid
 * out in a grid with one colour scale symmetric about 0 shared by all, so agents compare at a glance.
 * `tables[i][s*A + a]` is row s, column a. The figure is at most NOTEBOOK_WIDTH px wide (the grid wraps
 * into more rows instead) and its colour bar carries `colorbarTitle`.
 */
export function heatmapFigure(tables: readonly ArrayLike<number>[], S: number, A: number, o: HeatmapOptions = {}): Figure {
  const count = tables.length;
  const cols = Math.max(1, Math.min(o.columns ?? 4, count, Math.floor((NOTEBOOK_WIDTH - 160) / 180)));
  const rowsN = Math.ceil(count / cols);
  let zmax = 0;
  for (const t of tables) for (let k = 0; k < S * A; k++) zmax = Math.max(zmax, Math.abs(t[k]));
  const actions = o.actionNames ?? Array.from({ length: A }, (_, a) => `a${a}`);
  const states = o.stateNames ?? Array.from({ length: S }, (_, s) => `s${s}`);
  const gap = 0.06;
  const w = (1 - gap * (cols - 1)) / cols;
  const h = (1 - gap * 1.5 * (rowsN - 1)) / rowsN;
  const data: Trace[] = [];
  const layout = baseLayout({ ...o, width: Math.min(NOTEBOOK_WIDTH, o.width ?? 180 * cols + 160), height: o.height ?? Math.max(320, (S * 14 + 80) * rowsN + 60) });
  const annotations: Record<string, unknown>[] = [];
  tables.forEach((t, i) => {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const suffix = i === 0 ? '' : String(i + 1);
    const z = Array.from({ length: S }, (_, s) => Array.from({ length: A }, (_, a) => t[s * A + a]));
    data.push({ type: 'heatmap', z, x: actions, y: states, xaxis: `x${suffix}`, yaxis: `y${suffix}`, zmin: -zmax, zmax: zmax || 1, colorscale: DIVERGING, showscale: i === 0, colorbar: { thickness: 12, len: 0.8, title: { text: o.colorbarTitle ?? 'value', side: 'right' } } });
    const x0 = c * (w + gap);
    const y1 = 1 - r * (h + gap * 1.5);
    layout[`xaxis${suffix}`] = { domain: [x0, x0 + w], anchor: `y${suffix}`, tickfont: { size: FONT.size - 3 }, side: 'bottom' };
    layout[`yaxis${suffix}`] = { domain: [y1 - h, y1], anchor: `x${suffix}`, autorange: 'reversed', tickfont: { size: FONT.size - 3 }, showticklabels: c === 0 };
    annotations.push({ text: o.names?.[i] ?? `agent ${i}`, x: x0 + w / 2, y: y1, xref: 'paper', yref: 'paper', yanchor: 'bottom', showarrow: false, font: { size: FONT.size - 1 } });
  });
  layout.annotations = annotations;
  return { data, layout, meta: { title: o.title, provenance: o.subtitle, statistic: o.statistic } };
}

/**
 * Client drift per agent and local step: ‖θ_{i,ℓ} − θ̄‖ for ℓ = 1..H (RoundTrace.driftPerStep), one line
 * per agent; compare Fast-FedPG with FedAvg-PG by drawing both into one figure with `prefix`.
 */
export function driftFigure(runs: readonly { name: string; driftPerStep: readonly ArrayLike<number>[] }[], o: AxesOptions = {}): Figure {
  const data: Trace[] = [];
  const dashes = DASHES;
  runs.forEach((run, j) => {
    run.driftPerStep.forEach((d, i) => {
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        x: Array.from({ length: d.length }, (_, l) => l + 1),
        y: Array.from(d),
        name: `${run.name} · agent ${i}`,
        legendgroup: run.name,
        line: { color: colour(i), dash: dashes[j % dashes.length], width: 1.8 },
        marker: { size: 5, color: colour(i), symbol: SYMBOLS[j % SYMBOLS.length] },
      });
    });
  });
  const fig: Figure = { data, layout: baseLayout({ xTitle: 'local step ℓ', yTitle: '‖θ<sub>i,ℓ</sub> − θ̄‖', ...o }), meta: { title: o.title, provenance: o.subtitle, statistic: o.statistic } };
  return finishFigure(fig, { legend: o.legend });
}

/** A histogram of values (e.g. identity errors), on a log₁₀ scale by default since errors span decades. */
export function histogramFigure(series: readonly { name: string; values: readonly number[] }[], o: AxesOptions & { log10?: boolean; bins?: number } = {}): Figure {
  const log = o.log10 ?? true;
  const data: Trace[] = series.map(({ name, values }, i) => ({
    type: 'histogram',
    x: values.filter((v) => !log || v > 0).map((v) => (log ? Math.log10(v) : v)),
    name,
    opacity: 0.7,
    marker: { color: colour(i) },
    nbinsx: o.bins ?? 30,
  }));
  const layout = { ...baseLayout({ yTitle: 'count', ...o, xTitle: o.xTitle ?? (log ? 'log₁₀ value' : 'value') }), barmode: 'overlay' };
  return finishFigure({ data, layout, meta: { title: o.title, provenance: o.subtitle, statistic: o.statistic } }, { legend: o.legend ?? (series.length > 1 ? 'outside' : 'auto') });
}
