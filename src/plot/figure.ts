/**
 * Plotly figure specs as plain data: `{ data, layout }` is what Plotly.newPlot, the
 * `application/vnd.plotly.v1+json` MIME type and the static exporter all take. Builders in this folder are
 * pure functions from results to specs (no DOM, no files).
 */

/** One Plotly trace (scatter, heatmap, histogram, …), as Plotly's JSON schema defines it. */
export type Trace = Record<string, unknown>;

/**
 * What a figure is, for its caption and its files' metadata: in notebooks the title and the provenance are
 * drawn on the figure; in paper mode (plot/presets.ts) they leave the image for CAPTIONS.md, the SVG's
 * <title>/<desc> and the PDF's title.
 */
export interface FigureMeta {
  title?: string;
  /** The settings and provenance line (experiment, budget, seeds, version). */
  provenance?: string;
  /** What the plotted summaries are ("geometric mean over 4 seeds, 95% log-space t-interval"). */
  statistic?: string;
  /** Legend entries in full when a print version shortened them (presets.ts `compactLegend`): they go to the caption. */
  legendNotes?: string[];
  /** How the builder asked for the legend and the log x ticks, so a print preset can place them again. */
  legend?: string;
  designX?: boolean | readonly number[];
}

/** A Plotly figure spec (`meta` is ours; Plotly ignores it). */
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
  meta?: FigureMeta;
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

/** Screen (notebook) size and font; the print sizes are the presets of plot/presets.ts. */
export const FIGURE_SIZE = { width: 640, height: 420 } as const;
/** The font of every figure. */
export const FONT = { family: 'DejaVu Sans, Arial, sans-serif', size: 13, color: '#222' } as const;

/** Options every builder accepts for its axes and labels. */
/** The keys of AxesOptions (for strict option checks). */
export const AXES_OPTION_KEYS: readonly (keyof AxesOptions)[] = ['title', 'subtitle', 'statistic', 'xTitle', 'yTitle', 'logX', 'logY', 'width', 'height', 'legend'];

/** Titles, axes, size and legend of a figure: the options every figure builder takes. */
export interface AxesOptions {
  title?: string;
  /** A second title line, smaller: the settings the figure was made with (seed, N, H, …). */
  subtitle?: string;
  /** What the plotted summaries are (builders fill it in; shown after the subtitle in notebooks, in the caption on paper). */
  statistic?: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
  /**
   * Where the legend goes: 'auto' (default) picks a corner of the plot that no trace, band or error bar
   * reaches (plot/legend.ts), else makes head-room or puts it outside; a corner name forces that corner;
   * 'outside' puts it beside (notebooks) or above (paper) the axes.
   */
  legend?: 'auto' | 'top-right' | 'top-left' | 'bottom-left' | 'bottom-right' | 'outside';
}

const LEGEND_PLACES = {
  'top-right': { x: 0.99, xanchor: 'right', y: 0.99, yanchor: 'top' },
  'top-left': { x: 0.01, xanchor: 'left', y: 0.99, yanchor: 'top' },
  'bottom-left': { x: 0.01, xanchor: 'left', y: 0.01, yanchor: 'bottom' },
  'bottom-right': { x: 0.99, xanchor: 'right', y: 0.01, yanchor: 'bottom' },
  outside: {},
} as const;

/** Greedy line breaks of `text` at ' · ' and '; ' so that no line is longer than `maxChars` characters. */
export function wrapLine(text: string, maxChars: number): string[] {
  const parts = text.split(/(?<=(?: ·|;)) /);
  const lines: string[] = [];
  for (const p of parts) {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last] + ' ' + p).replace(/<[^>]+>/g, '').length <= maxChars) lines[last] += ` ${p}`;
    else lines.push(p);
  }
  return lines;
}

/**
 * The title text drawn in notebooks: the title, then the provenance and the statistic in smaller lines,
 * wrapped to the figure's width (`width` px: ≈ 0.62 em per character at 0.72 of the font size).
 */
export function titleText(o: Pick<AxesOptions, 'title' | 'subtitle' | 'statistic' | 'width'>): string {
  const second = [o.subtitle, o.statistic].filter(Boolean).join(' · ');
  const maxChars = Math.floor(((o.width ?? FIGURE_SIZE.width) - 30) / (0.62 * 0.72 * FONT.size));
  const small = second ? wrapLine(second, maxChars).map((l) => `<span style="font-size:0.72em">${l}</span>`) : [];
  return [o.title ?? '', ...small].filter(Boolean).join('<br>');
}

/** Size of a notebook figure's title, px; its smaller lines (subtitle, statistic) are 0.72 of it but keep its line spacing. */
const TITLE_SIZE = FONT.size + 2;
/** Space above the title, px. */
const TITLE_PAD = 10;

/**
 * The top margin of a notebook figure whose title has `lines` lines: the pad, Plotly's line spacing (1.3 em
 * of the title's size, also for the smaller lines) per line, and 16 px between the last line and the plot's
 * top edge, where the top tick label reaches ≈ 7 px above it. No title: 30 px.
 */
export function titleMargin(lines: number): number {
  return lines === 0 ? 30 : Math.ceil(TITLE_PAD + 1.3 * TITLE_SIZE * lines + 16);
}

/** The shared layout: white background, light grid, title with settings (legend placed by plot/legend.ts). */
export function baseLayout(o: AxesOptions): Record<string, unknown> {
  const axis = (label: string | undefined, log: boolean | undefined) => ({
    title: { text: label ?? '', standoff: 6 },
    type: log ? 'log' : 'linear',
    showline: true,
    linecolor: '#444',
    ticks: 'outside',
    gridcolor: '#e5e5e5',
    zeroline: false,
    exponentformat: 'power',
    automargin: true,
  });
  const place = o.legend && o.legend !== 'auto' && o.legend !== 'outside' ? LEGEND_PLACES[o.legend] : LEGEND_PLACES['top-right'];
  const title = titleText(o);
  const lines = title === '' ? 0 : title.split('<br>').length;
  const height = o.height ?? FIGURE_SIZE.height;
  return {
    // Hung from the top of the figure, line under line; the top margin holds every line and clears the top
    // tick label (centred on the plot's top edge), so no title line reaches the plot, its ticks or its legend.
    // Plotly anchors a multi-line title by its first line, and with yanchor 'top' it shifts that line by a
    // relative dy that its own static export (toImage) drops; anchored at 'bottom' the first line's baseline
    // is the anchor in both, so the anchor is the pad plus the font's ascent (≈ 0.95 em) below the top.
    title: { text: title, x: 0.02, xanchor: 'left', y: 1 - (TITLE_PAD + 0.95 * TITLE_SIZE) / height, yref: 'container', yanchor: 'bottom', font: { size: TITLE_SIZE } },
    font: { ...FONT },
    width: o.width ?? FIGURE_SIZE.width,
    height,
    margin: { l: 70, r: 20, t: titleMargin(lines), b: 55 },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    xaxis: axis(o.xTitle, o.logX),
    yaxis: axis(o.yTitle, o.logY),
    legend: { bgcolor: 'rgba(255,255,255,0.85)', bordercolor: '#ccc', borderwidth: 1, tracegroupgap: 0, font: { size: FONT.size - 2 }, ...place },
    colorway: [...PALETTE],
  };
}

/** Dash styles and marker symbols that keep overlapping series apart (in the order series take them). */
export const DASHES = ['solid', 'dash', 'dot', 'dashdot', 'longdash', 'longdashdot'] as const;
/** Marker symbols, in the order series take them. */
export const SYMBOLS = ['circle', 'diamond-open', 'square', 'triangle-up-open', 'x', 'cross-open'] as const;
