/**
 * Plotly figure specs as plain data: `{ data, layout }` is what Plotly.newPlot, the
 * `application/vnd.plotly.v1+json` MIME type and the static exporter all take. Builders in this folder are
 * pure functions from results to specs (no DOM, no files).
 */

/** One Plotly trace (scatter, heatmap, histogram, …), as Plotly's JSON schema defines it. */
export type Trace = Record<string, unknown>;

/** A Plotly figure spec. */
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
}

/** Okabe & Ito (2008) colour-blind-safe palette, in the order series take it. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;

/** Series colour i (cycling). */
export function colour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** `#rrggbb` with opacity `alpha` as an rgba() string (for CI bands). */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** Publication defaults: a single-column figure (3.5 in at 96 px/in ≈ 336 px is too small to read on screen, so 640×420 px, exported at scale 3). */
export const FIGURE_SIZE = { width: 640, height: 420 } as const;
export const FONT = { family: 'DejaVu Sans, Arial, sans-serif', size: 13, color: '#222' } as const;

/** Options every builder accepts for its axes and labels. */
export interface AxesOptions {
  title?: string;
  /** A second title line, smaller: the settings the figure was made with (seed, N, H, …). */
  subtitle?: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
  /** Where the legend goes: inside a corner of the plot (default 'top-right') or to the right of it. */
  legend?: 'top-right' | 'top-left' | 'bottom-left' | 'bottom-right' | 'outside';
}

const LEGEND_PLACES = {
  'top-right': { x: 0.99, xanchor: 'right', y: 0.99, yanchor: 'top' },
  'top-left': { x: 0.01, xanchor: 'left', y: 0.99, yanchor: 'top' },
  'bottom-left': { x: 0.01, xanchor: 'left', y: 0.01, yanchor: 'bottom' },
  'bottom-right': { x: 0.99, xanchor: 'right', y: 0.01, yanchor: 'bottom' },
  outside: {},
} as const;

/** The shared layout: white background, light grid, legend inside the plot, title with settings. */
export function baseLayout(o: AxesOptions): Record<string, unknown> {
  const title = [o.title ?? '', o.subtitle ? `<span style="font-size:0.72em">${o.subtitle}</span>` : ''].filter(Boolean).join('<br>');
  const axis = (label: string | undefined, log: boolean | undefined) => ({
    title: { text: label ?? '' },
    type: log ? 'log' : 'linear',
    showline: true,
    linecolor: '#444',
    ticks: 'outside',
    gridcolor: '#e5e5e5',
    zeroline: false,
    exponentformat: 'power',
  });
  return {
    title: { text: title, x: 0.02, xanchor: 'left', font: { size: FONT.size + 2 } },
    font: { ...FONT },
    width: o.width ?? FIGURE_SIZE.width,
    height: o.height ?? FIGURE_SIZE.height,
    margin: { l: 70, r: 20, t: o.subtitle ? 70 : 50, b: 55 },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    xaxis: axis(o.xTitle, o.logX),
    yaxis: axis(o.yTitle, o.logY),
    legend: { bgcolor: 'rgba(255,255,255,0.85)', bordercolor: '#ccc', borderwidth: 1, font: { size: FONT.size - 2 }, ...LEGEND_PLACES[o.legend ?? 'top-right'] },
    colorway: [...PALETTE],
  };
}
