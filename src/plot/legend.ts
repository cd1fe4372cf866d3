import { coordinates, logTicks } from './axes';
import type { Figure, Trace } from './figure';
import { plainText } from './notation';

/** A rectangle in pixels of the plot area, x to the right and y up from its bottom-left corner. */
export interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** What the data draw, in plot-area pixels: points, line segments (lines, error bars) and filled polygons. */
export interface Obstacles {
  points: [number, number][];
  segments: [number, number, number, number][];
  polygons: [number, number][][];
}

/** Legend entries as Plotly draws them: one per trace that does not set showlegend: false. */
export function legendEntries(figure: Figure): string[] {
  return figure.data.filter((t) => t.showlegend !== false && t.visible !== false && typeof t.name === 'string').map((t) => t.name as string);
}

/**
 * A generous estimate of the legend's size in pixels for font size f: per entry a 40 px sample, the text
 * at ≈ 0.62 f per character (superscripts at 0.7 of that), and a row of 1.5 f + 8 px; padding 12 px.
 * Generous on purpose: the placement must hold for the legend Chromium actually draws (the visual test
 * measures that one).
 */
export function legendSize(entries: readonly string[], fontPx: number): { width: number; height: number } {
  const textWidth = (html: string) => {
    const sup = [...html.matchAll(/<sup>(.*?)<\/sup>/g)].reduce((s: number, m) => s + plainText(m[0]).length, 0);
    return (plainText(html).length - sup + 0.7 * sup) * 0.62 * fontPx;
  };
  const width = 48 + Math.max(0, ...entries.map(textWidth)) + 10;
  const height = entries.length * (1.5 * fontPx + 8) + 12;
  return { width, height };
}

function axisMap(spec: Record<string, unknown>, size: number): ((v: number) => number) | null {
  const range = spec.range as [number, number] | undefined;
  if (!range) return null;
  const log = spec.type === 'log';
  return (v) => ((log ? Math.log10(v) : v) - range[0]) / (range[1] - range[0]) * size;
}

/** What the scatter traces of a figure draw, in pixels of a plot area of width W and height H. */
export function obstacles(figure: Figure, W: number, H: number): Obstacles | null {
  const fx = axisMap(figure.layout.xaxis as Record<string, unknown>, W);
  const fy = axisMap(figure.layout.yaxis as Record<string, unknown>, H);
  if (!fx || !fy) return null;
  const out: Obstacles = { points: [], segments: [], polygons: [] };
  for (const t of figure.data as Trace[]) {
    if ((t.type ?? 'scatter') !== 'scatter') return null;
    const xs = coordinates(t, 'x');
    const ys = coordinates(t, 'y');
    const pts = xs.map((x, i) => [fx(x), fy(ys[i])] as [number, number]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    const mode = String(t.mode ?? 'lines');
    if (t.fill === 'toself') out.polygons.push(pts);
    if (mode.includes('markers') || t.error_y) out.points.push(...pts);
    if (mode.includes('lines') || t.fill === 'toself') for (let i = 1; i < pts.length; i++) out.segments.push([...pts[i - 1], ...pts[i]]);
    const err = t.error_y as { array?: number[]; arrayminus?: number[] } | undefined;
    if (err?.array) {
      xs.forEach((x, i) => {
        const up = fy(ys[i] + (err.array?.[i] ?? 0));
        const down = fy(ys[i] - (err.arrayminus?.[i] ?? err.array?.[i] ?? 0));
        if ([fx(x), up, down].every(Number.isFinite)) out.segments.push([fx(x), down, fx(x), up]);
      });
    }
  }
  return out;
}

/** Whether segment (x1,y1)–(x2,y2) meets box b (Liang–Barsky clipping). */
export function segmentMeetsBox(s: readonly number[], b: Box): boolean {
  const [x1, y1, x2, y2] = s;
  const dx = x2 - x1;
  const dy = y2 - y1;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [[-dx, x1 - b.x0], [dx, b.x1 - x1], [-dy, y1 - b.y0], [dy, b.y1 - y1]]) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const r = q / p;
      if (p < 0) t0 = Math.max(t0, r);
      else t1 = Math.min(t1, r);
      if (t0 > t1) return false;
    }
  }
  return true;
}

/** Point-in-polygon by ray casting. */
export function insidePolygon(x: number, y: number, poly: readonly [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether box b (already grown by the clearance) is free of every obstacle. */
export function boxIsFree(b: Box, o: Obstacles): boolean {
  if (o.points.some(([x, y]) => x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1)) return false;
  if (o.segments.some((s) => segmentMeetsBox(s, b))) return false;
  const probes: [number, number][] = [[b.x0, b.y0], [b.x1, b.y0], [b.x0, b.y1], [b.x1, b.y1], [(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2]];
  return !o.polygons.some((p) => probes.some(([x, y]) => insidePolygon(x, y, p)));
}

const CORNERS = [
  { name: 'top-right', fx: 1, fy: 1 },
  { name: 'top-left', fx: 0, fy: 1 },
  { name: 'bottom-right', fx: 1, fy: 0 },
  { name: 'bottom-left', fx: 0, fy: 0 },
  { name: 'top-centre', fx: 0.5, fy: 1 },
  { name: 'bottom-centre', fx: 0.5, fy: 0 },
  { name: 'middle-right', fx: 1, fy: 0.5 },
  { name: 'middle-left', fx: 0, fy: 0.5 },
] as const;

/** How much smaller than its layout's margins say a plot area may be drawn (automargin), for legend placement. */
export const PLOT_AREA_SLACK = 0.08;

/** The plot area of a layout in pixels (its size minus margins; automargin can only shrink it further). */
export function plotArea(layout: Record<string, unknown>): { W: number; H: number } {
  const m = layout.margin as { l: number; r: number; t: number; b: number };
  return { W: (layout.width as number) - m.l - m.r, H: (layout.height as number) - m.t - m.b };
}

/**
 * Put the legend where it covers no data, decided from the traces' extents: the first corner (then edge
 * middle) of the plot area whose box, grown by `clearance` px, no point, line segment, error bar or CI
 * band reaches; else, if the legend is at most 35% of the plot's height, head-room above the data (the
 * y range is raised) with the legend in the top-right corner; else outside the axes, `outside` = 'right'
 * (notebooks) or 'above' (paper: the title has moved to the caption, so the top is free). Mutates and
 * returns the layout's legend; `layout.showlegend` is set from the number of entries.
 */
export function placeLegend(figure: Figure, options: { outside?: 'right' | 'above'; clearance?: number; force?: string } = {}): string {
  const layout = figure.layout;
  const entries = legendEntries(figure);
  layout.showlegend = entries.length >= 2;
  if (entries.length < 2) return 'none';
  const legend = layout.legend as Record<string, unknown>;
  const font = ((legend.font as { size?: number } | undefined)?.size ?? 11) as number;
  const { width: w, height: h } = legendSize(entries, font);
  const { W, H } = plotArea(layout);
  const c = options.clearance ?? 5;
  const inset = 3;
  const put = (fx: number, fy: number) => {
    Object.assign(legend, {
      orientation: 'v',
      x: fx === 1 ? 1 - inset / W : fx === 0 ? inset / W : 0.5,
      xanchor: fx === 1 ? 'right' : fx === 0 ? 'left' : 'center',
      y: fy === 1 ? 1 - inset / H : fy === 0 ? inset / H : 0.5,
      yanchor: fy === 1 ? 'top' : fy === 0 ? 'bottom' : 'middle',
    });
  };
  const outside = () => {
    if ((options.outside ?? 'right') === 'above') Object.assign(legend, { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom' });
    else Object.assign(legend, { orientation: 'v', x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' });
    return 'outside';
  };
  if (options.force === 'outside') return outside();
  const forced = CORNERS.find((k) => k.name === options.force);
  if (forced) {
    put(forced.fx, forced.fy);
    return forced.name;
  }
  const obs = obstacles(figure, W, H);
  if (!obs || w > W - 2 * inset) return outside();
  // The plot area Plotly draws can be smaller than the layout's margins say (automargin makes room for long
  // tick labels and axis titles): a corner is taken only when its box is free in the plot area as laid out
  // and in one shrunk by PLOT_AREA_SLACK in each direction, where the data sit closer together.
  const shrunk = obstacles(figure, W * (1 - PLOT_AREA_SLACK), H * (1 - PLOT_AREA_SLACK)) as Obstacles;
  const boxIn = (fx: number, fy: number, Wp: number, Hp: number): Box => {
    const x0 = fx === 1 ? Wp - inset - w : fx === 0 ? inset : (Wp - w) / 2;
    const y0 = fy === 1 ? Hp - inset - h : fy === 0 ? inset : (Hp - h) / 2;
    return { x0: x0 - c, x1: x0 + w + c, y0: y0 - c, y1: y0 + h + c };
  };
  const free = (fx: number, fy: number) => boxIsFree(boxIn(fx, fy, W, H), obs) && boxIsFree(boxIn(fx, fy, W * (1 - PLOT_AREA_SLACK), H * (1 - PLOT_AREA_SLACK)), shrunk);
  for (const k of CORNERS) {
    if (free(k.fx, k.fy)) {
      put(k.fx, k.fy);
      return k.name;
    }
  }
  const yaxis = layout.yaxis as Record<string, unknown>;
  if (h + 2 * c + inset <= 0.35 * H && yaxis.range) {
    const [lo, hi] = yaxis.range as [number, number];
    const top = lo + ((hi - lo) * H) / (H - h - 2 * c - inset);
    yaxis.range = [lo, top];
    if (yaxis.type === 'log' && yaxis.tickmode === 'array') Object.assign(yaxis, logTicks([lo, top], null));
    put(1, 1);
    return 'head-room';
  }
  return outside();
}
