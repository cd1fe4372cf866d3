import { type Frame, groupBy, numberAt, type Row, toRows } from '../analysis/frame';
import { type AxesOptions, baseLayout, colour, DASHES, type Figure, SYMBOLS, type Trace, withAlpha } from './figure';
import { formatNumber, plainText, seriesName } from './notation';
import { finishFigure } from './presets';

/** Options of `seriesFigure`. */
export interface SeriesOptions extends AxesOptions {
  x: string;
  y: string;
  /** Lower and upper columns of an interval around y (a CI), drawn as a band or as error bars. */
  lo?: string;
  hi?: string;
  /** Columns that split the rows into lines; the legend shows their display names ("Fast-FedPG, H = 5") or `label`. */
  series?: readonly string[];
  /** Legend text of a series from its key values (default: plot/notation.ts `seriesName`). */
  label?: (key: Row) => string;
  /** Series columns that choose the colour (default: all of `series`). */
  colourBy?: readonly string[];
  /** Series columns that choose the dash and marker symbol (default: all of `series`), so curves that coincide stay apart. */
  styleBy?: readonly string[];
  interval?: 'band' | 'bars';
  /** Draw markers: true (every point), false, or 'sparse' (at most 12 per line, for long curves; default when styled lines could coincide). */
  markers?: boolean | 'sparse';
  /** Shift series sideways on a log x axis by this many decades × (i − mid), so error bars at one x do not overlap. */
  dodge?: number;
}

/** Legend text `k=v, …` of a series key (raw ids; `seriesName` gives the display names). */
export function keyLabel(key: Row): string {
  const entries = Object.entries(key);
  if (entries.length === 1) return String(entries[0][1]);
  return entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** Index of each group's key among the distinct values of `cols`, in order of first appearance. */
function indexBy(keys: readonly Row[], cols: readonly string[]): number[] {
  const ids: string[] = [];
  return keys.map((k) => {
    const id = JSON.stringify(cols.map((c) => k[c]));
    if (!ids.includes(id)) ids.push(id);
    return ids.indexOf(id);
  });
}

/**
 * "τ = 1: 164 of 201 points not drawn (no finite value), round t 37–200": what a series leaves out, for the
 * figure's statistic line (x values as the axis shows them: the range when they are consecutive design
 * points, else the first and the count).
 */
export function missingNote(name: string, xs: readonly number[], of: number, xTitle: string, nonPositive: boolean): string {
  const finite = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const num = (v: number) => formatNumber(v, { significant: 4 });
  const where = finite.length === 0 ? '' : finite.length === 1 ? `, ${xTitle} ${num(finite[0])}` : `, ${xTitle} ${num(finite[0])}–${num(finite[finite.length - 1])}`;
  return `${plainText(name)}: ${xs.length} of ${of} points not drawn (${nonPositive ? 'no finite value or ≤ 0 on the log axis' : 'no finite value'})${where}`;
}

/**
 * Lines of y against x, one per series, with an optional interval [lo, hi] as a shaded band or error bars.
 * Colour, dash and marker come from the series keys (`colourBy`, `styleBy`). Nothing is invented and nothing
 * is dropped silently: an interval that is not defined (NaN: one seed) or that reaches ≤ 0 on a log axis
 * (an arithmetic CI of a positive quantity: summarise in log space instead) is not drawn at that point, a
 * point with no finite value (or ≤ 0 on a log axis) leaves a gap in its line, and `meta.statistic` (the
 * figure's statistic line) says both, naming the series and the x range.
 */
export function seriesFigure(frame: Frame, o: SeriesOptions): Figure {
  const rows = toRows(frame);
  const data: Trace[] = [];
  const groups = groupBy(rows, o.series ?? []);
  const keys = groups.map((g) => g.key);
  const colours = indexBy(keys, o.colourBy ?? o.series ?? []);
  const styles = indexBy(keys, o.styleBy ?? o.series ?? []);
  let undrawn = 0;
  const missing: string[] = [];
  const mid = (groups.length - 1) / 2;
  groups.forEach(({ key, rows: g }, i) => {
    const shift = o.dodge && o.logX ? 10 ** (o.dodge * (i - mid)) : 1;
    const pts = g.map((r) => ({ x: numberAt(r, o.x) * shift, y: numberAt(r, o.y), lo: o.lo ? numberAt(r, o.lo) : NaN, hi: o.hi ? numberAt(r, o.hi) : NaN })).sort((a, b) => a.x - b.x);
    const name = o.label ? o.label(key) : seriesName(key) || o.y;
    const c = colour(colours[i]);
    // Points Plotly would leave out without a word: no finite value, or ≤ 0 on a log axis.
    const gone = pts.filter((p) => !Number.isFinite(p.x) || !Number.isFinite(p.y) || (o.logY && p.y <= 0) || (o.logX && p.x <= 0));
    if (gone.length > 0) missing.push(missingNote(name, gone.map((p) => p.x / shift), pts.length, o.xTitle ?? o.x, Boolean(o.logY && gone.some((p) => Number.isFinite(p.y) && p.y <= 0))));
    const ok = pts.map((p) => Number.isFinite(p.lo) && Number.isFinite(p.hi) && !(o.logY && p.lo <= 0));
    undrawn += pts.filter((p, k) => !ok[k] && Number.isFinite(p.lo) && Number.isFinite(p.hi)).length;
    const lo = pts.map((p, k) => (ok[k] ? p.lo : p.y));
    const hi = pts.map((p, k) => (ok[k] ? p.hi : p.y));
    const hasInterval = o.lo !== undefined && o.hi !== undefined && ok.some(Boolean);
    if (hasInterval && (o.interval ?? 'band') === 'band') {
      data.push({
        type: 'scatter',
        // A band is its outline filled; Plotly's default mode would add markers at its corners under 20 points.
        mode: 'lines',
        x: [...pts.map((p) => p.x), ...pts.map((p) => p.x).reverse()],
        y: [...hi, ...lo.slice().reverse()],
        fill: 'toself',
        fillcolor: withAlpha(c, 0.18),
        line: { width: 0 },
        hoverinfo: 'skip',
        showlegend: false,
        legendgroup: name,
        name: `${name} CI`,
      });
    }
    const markers = o.markers ?? false;
    data.push({
      type: 'scatter',
      mode: markers ? 'lines+markers' : 'lines',
      x: pts.map((p) => p.x),
      y: pts.map((p) => p.y),
      name,
      legendgroup: name,
      line: { color: c, width: 2, dash: DASHES[styles[i] % DASHES.length] },
      marker: { color: c, size: 6, symbol: SYMBOLS[styles[i] % SYMBOLS.length], ...(markers === 'sparse' ? { maxdisplayed: 12 } : {}) },
      ...(hasInterval && o.interval === 'bars'
        ? { error_y: { type: 'data', symmetric: false, array: pts.map((p, k) => hi[k] - p.y), arrayminus: pts.map((p, k) => p.y - lo[k]), color: c, thickness: 1.2, width: 3 } }
        : {}),
    });
  });
  const statistic = [o.statistic, undrawn > 0 ? `${undrawn} interval(s) reaching ≤ 0 not drawn on the log axis` : '', ...missing].filter(Boolean).join('; ') || undefined;
  const layout = baseLayout({ ...o, xTitle: o.xTitle ?? o.x, yTitle: o.yTitle ?? o.y, statistic });
  const designX = o.dodge && o.logX ? [...new Set(rows.map((r) => numberAt(r, o.x)))].sort((a, b) => a - b) : undefined;
  return finishFigure({ data, layout, meta: { title: o.title, provenance: o.subtitle, statistic } }, { legend: o.legend, designX });
}

/**
 * Convergence curves from `summarizeSeeds` rows: the seed mean of `y` against x with its CI band, one line
 * per series, on log axes by default. The statistic (from the rows' `<y>_statistic`) is named on the figure.
 */
export function convergenceFigure(frame: Frame, o: Omit<SeriesOptions, 'lo' | 'hi'>): Figure {
  const summary = toRows(frame);
  const stats = [...new Set(summary.map((r) => r[`${o.y}_statistic`]).filter((s) => typeof s === 'string'))] as string[];
  const statistic = o.statistic ?? (stats.length === 1 ? stats[0] : stats.length > 1 ? mergeStatistics(stats) : undefined);
  return seriesFigure(summary, {
    logY: true,
    ...o,
    statistic,
    y: `${o.y}_mean`,
    lo: `${o.y}_lo`,
    hi: `${o.y}_hi`,
    yTitle: o.yTitle ?? o.y,
    xTitle: o.xTitle ?? o.x,
  });
}

/** "geometric mean over 3–4 seeds, …" from descriptions that differ only in their count. */
export function mergeStatistics(stats: readonly string[]): string {
  const counts = stats.map((s) => Number(/over (\d+)/.exec(s)?.[1] ?? NaN));
  const rest = new Set(stats.map((s) => s.replace(/over \d+(–\d+)? seeds?/, 'over #')));
  if (rest.size !== 1 || counts.some(Number.isNaN)) return stats.join('; ');
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return [...rest][0].replace('#', lo === hi ? `${lo} seed${lo === 1 ? '' : 's'}` : `${lo}–${hi} seeds`);
}

