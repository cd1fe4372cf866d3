import { type Frame, groupBy, numberAt, type Row, toRows } from '../analysis/frame';
import { type AxesOptions, baseLayout, colour, type Figure, type Trace, withAlpha } from './figure';

/** Options of `seriesFigure`. */
export interface SeriesOptions extends AxesOptions {
  x: string;
  y: string;
  /** Lower and upper columns of an interval around y (a CI), drawn as a band or as error bars. */
  lo?: string;
  hi?: string;
  /** Columns that split the rows into lines; the legend shows the value of a single column, `key=value` pairs of several (or `label`). */
  series?: readonly string[];
  /** Legend text of a series from its key values (default `a=1, b=2`). */
  label?: (key: Row) => string;
  interval?: 'band' | 'bars';
  markers?: boolean;
}

/** Legend text of a series key: the value of a single column ("fast-fedpg"), `k=v, …` for several. */
export function keyLabel(key: Row): string {
  const entries = Object.entries(key);
  if (entries.length === 1) return String(entries[0][1]);
  return entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/**
 * Lines of y against x, one per series, with an optional interval [lo, hi] as a shaded band or error bars.
 * On a log y axis a lower end ≤ 0 (a CI reaching below 0) is drawn at y/10, so the band stays visible; an
 * interval that is not defined (NaN: a single seed) is not drawn. `frame` is a Danfo DataFrame (e.g.
 * `run.runFor(…).history`) or an array of rows; the axis titles default to the column names.
 */
export function seriesFigure(frame: Frame, o: SeriesOptions): Figure {
  const rows = toRows(frame);
  const data: Trace[] = [];
  const groups = groupBy(rows, o.series ?? []);
  groups.forEach(({ key, rows: g }, i) => {
    const pts = g.map((r) => ({ x: numberAt(r, o.x), y: numberAt(r, o.y), lo: o.lo ? numberAt(r, o.lo) : NaN, hi: o.hi ? numberAt(r, o.hi) : NaN })).sort((a, b) => a.x - b.x);
    const name = o.label ? o.label(key) : keyLabel(key) || o.y;
    const c = colour(i);
    // An undefined interval (one seed: NaN) collapses onto the line; a lower end ≤ 0 on a log axis is drawn at y/10.
    const lo = pts.map((p) => (!Number.isFinite(p.lo) ? p.y : o.logY && p.lo <= 0 ? p.y / 10 : p.lo));
    const hi = pts.map((p) => (Number.isFinite(p.hi) ? p.hi : p.y));
    const hasInterval = o.lo !== undefined && o.hi !== undefined && pts.some((p) => Number.isFinite(p.lo) && Number.isFinite(p.hi));
    if (hasInterval && (o.interval ?? 'band') === 'band') {
      data.push({
        type: 'scatter',
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
    data.push({
      type: 'scatter',
      mode: o.markers ? 'lines+markers' : 'lines',
      x: pts.map((p) => p.x),
      y: pts.map((p) => p.y),
      name,
      legendgroup: name,
      line: { color: c, width: 2 },
      marker: { color: c, size: 6 },
      ...(hasInterval && o.interval === 'bars'
        ? { error_y: { type: 'data', symmetric: false, array: pts.map((p, k) => hi[k] - p.y), arrayminus: pts.map((p, k) => p.y - lo[k]), color: c, thickness: 1.2, width: 3 } }
        : {}),
    });
  });
  return { data, layout: baseLayout({ ...o, xTitle: o.xTitle ?? o.x, yTitle: o.yTitle ?? o.y }) };
}

/**
 * Convergence curves from `summarizeSeeds` rows: the seed mean of `y` against x with its 95% CI band, one
 * line per series, on log axes by default.
 */
export function convergenceFigure(summary: Frame, o: Omit<SeriesOptions, 'lo' | 'hi'>): Figure {
  return seriesFigure(summary, {
    logY: true,
    ...o,
    y: `${o.y}_mean`,
    lo: `${o.y}_lo`,
    hi: `${o.y}_hi`,
    yTitle: o.yTitle ?? o.y,
    xTitle: o.xTitle ?? o.x,
  });
}
