import { FedPGError } from '../core/errors';
import { mean, ols } from '../core/stats';
import { type Frame, groupBy, numberAt, type Row, toRows } from './frame';

/** Options of `fitRate`. */
export interface RateFitOptions {
  /** 'round', 'samples' (the `envSteps` column), another column, or a function of a row (e.g. N·H·T). */
  x: string | ((row: Row) => number);
  /** The metric: 'gap', 'gradNormSq', 'gradNormSqAvg', … */
  y: string;
  /** Keep points with from ≤ x ≤ to. */
  from?: number;
  to?: number;
  /**
   * 'mean' (default): fit the log of the mean over rows (seeds) at each x, so a point is one x; 'none': fit
   * every row. Rows of one trajectory are correlated, so with 'none' the CI is too narrow for trajectory fits.
   */
  aggregate?: 'mean' | 'none';
  /** 'log-log' (default): log y = a + b log x, a power law x^b; 'semi-log': log y = a + b x, a linear rate e^{b x}. */
  scale?: 'log-log' | 'semi-log';
  /** Keep only (aggregated) points with y > above (default 0): e.g. 1e-12 leaves out gaps at round-off level. */
  above?: number;
  /** Level of the slope's confidence interval (default 0.95). */
  level?: number;
}

/** A fitted rate with its uncertainty and the fitted curve for plotting. */
export interface RateFit {
  /** b in y ≈ e^a x^b (log-log) or y ≈ e^{a + b x} (semi-log). */
  slope: number;
  slopeSE: number;
  slopeCI: [number, number];
  intercept: number;
  r2: number;
  /** Points fitted. */
  n: number;
  /** Points left out because y ≤ `above` (default 0: no logarithm) or non-finite. */
  dropped: number;
  scale: 'log-log' | 'semi-log';
  /** The points fitted (after aggregation), in x order. */
  points: { x: number; y: number }[];
  /** The fitted curve at the fitted points' x. */
  line: { x: number[]; y: number[] };
  label: string;
}

function xOf(x: RateFitOptions['x']): (row: Row) => number {
  if (typeof x === 'function') return x;
  const column = x === 'samples' ? 'envSteps' : x;
  return (row) => numberAt(row, column);
}

/**
 * Fit a convergence rate by ordinary least squares on logarithms (core/stats.ts `ols`):
 *   log-log:  log y = a + b log x  (y ∝ x^b; Theorem 1 predicts b = −1 for the gap in T, Theorem 2 b = −½),
 *   semi-log: log y = a + b x      (y ∝ e^{b x}; the linear rate of exact gradients, b = log of the contraction).
 * The slope's CI is the t-interval of OLS with n − 2 degrees of freedom.
 */
export function fitRate(frame: Frame, options: RateFitOptions): RateFit {
  const scale = options.scale ?? 'log-log';
  const getX = xOf(options.x);
  const rows = toRows(frame).filter((r) => {
    const x = getX(r);
    return (options.from === undefined || x >= options.from) && (options.to === undefined || x <= options.to);
  });
  let points = rows.map((r) => ({ x: getX(r), y: numberAt(r, options.y) }));
  if ((options.aggregate ?? 'mean') === 'mean') {
    points = groupBy(points.map((p) => ({ x: p.x, y: p.y })), ['x']).map((g) => ({ x: g.key.x as number, y: mean(g.rows.map((r) => r.y as number)) }));
  }
  const usable = points.filter((p) => p.y > (options.above ?? 0) && Number.isFinite(p.y) && Number.isFinite(p.x) && (scale === 'semi-log' || p.x > 0)).sort((a, b) => a.x - b.x);
  if (usable.length < 3) throw new FedPGError(`fitRate: needs at least 3 points with ${options.y} > 0, got ${usable.length} (of ${points.length})`);
  const fx = usable.map((p) => (scale === 'log-log' ? Math.log(p.x) : p.x));
  const fit = ols(fx, usable.map((p) => Math.log(p.y)), options.level);
  const label = `slope ${fit.slope.toFixed(2)} ± ${((fit.slopeCI[1] - fit.slopeCI[0]) / 2).toFixed(2)}`;
  return {
    slope: fit.slope,
    slopeSE: fit.slopeSE,
    slopeCI: fit.slopeCI,
    intercept: fit.intercept,
    r2: fit.r2,
    n: usable.length,
    dropped: points.length - usable.length,
    scale,
    points: usable,
    line: { x: usable.map((p) => p.x), y: fx.map((x) => Math.exp(fit.intercept + fit.slope * x)) },
    label,
  };
}
