import { FedPGError } from '../core/errors';
import { mean, ols } from '../core/stats';
import { type Frame, groupBy, numberAt, type Row, toRows } from './frame';
import { detectPlateau, type PlateauDetection, PlateauError } from './plateau';
import { describeStatistic } from './statistic';

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
  /** With aggregate 'mean': the arithmetic mean of y over rows (default) or the geometric mean (mean of ln y). */
  mean?: 'arithmetic' | 'geometric';
  /**
   * What to do when the curve has flattened (analysis/plateau.ts `detectPlateau`): 'exclude' (default) fits
   * only the transient before the plateau and says so in `window`; 'refuse' throws a PlateauError whose
   * message gives the reason; 'keep' fits every point regardless.
   */
  plateau?: 'exclude' | 'refuse' | 'keep';
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
  /** The x range fitted (after `from`/`to`, `above` and plateau exclusion). */
  window: { from: number; to: number };
  /** The plateau check on the usable points, and how many points at the end were left out as plateau. */
  plateau: PlateauDetection;
  plateauExcluded: number;
  /** What each point is: "arithmetic mean over 4 seeds" (or "one row per point"). */
  pointStatistic: string;
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
  const geometric = options.mean === 'geometric';
  let counts: number[] = [];
  if ((options.aggregate ?? 'mean') === 'mean') {
    const groups = groupBy(points.map((p) => ({ x: p.x, y: p.y })), ['x']);
    counts = groups.map((g) => g.rows.length);
    const centre = (ys: number[]) => (geometric ? Math.exp(mean(ys.map((y) => Math.log(y)))) : mean(ys));
    points = groups.map((g) => ({ x: g.key.x as number, y: centre(g.rows.map((r) => r.y as number)) }));
  }
  let usable = points.filter((p) => p.y > (options.above ?? 0) && Number.isFinite(p.y) && Number.isFinite(p.x) && (scale === 'semi-log' || p.x > 0)).sort((a, b) => a.x - b.x);
  if (usable.length < 3) throw new FedPGError(`fitRate: needs at least 3 points with ${options.y} > 0, got ${usable.length} (of ${points.length})`);
  const detection = detectPlateau(usable, { scale });
  const mode = options.plateau ?? 'exclude';
  let plateauExcluded = 0;
  if (detection.detected && mode !== 'keep') {
    if (mode === 'refuse') throw new PlateauError(`fitRate: ${options.y} has stopped falling, no rate fitted (${detection.reason})`);
    const transient = usable.filter((p) => p.x <= detection.transientEnd);
    if (transient.length < 3) throw new PlateauError(`fitRate: ${options.y} has stopped falling and only ${transient.length} point(s) precede the plateau, no rate fitted (${detection.reason})`);
    plateauExcluded = usable.length - transient.length;
    usable = transient;
  }
  const fx = usable.map((p) => (scale === 'log-log' ? Math.log(p.x) : p.x));
  const fit = ols(fx, usable.map((p) => Math.log(p.y)), options.level);
  const window = { from: usable[0].x, to: usable[usable.length - 1].x };
  const label = `slope ${fit.slope.toFixed(2)} ± ${((fit.slopeCI[1] - fit.slopeCI[0]) / 2).toFixed(2)}${plateauExcluded > 0 ? ` (fitted on ${window.from}–${window.to}, before the plateau)` : ''}`;
  const pointStatistic = counts.length > 0 ? describeStatistic({ centre: geometric ? 'geometric mean' : 'arithmetic mean', interval: 'none', level: 0, n: counts }) : 'one row per point';
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
    window,
    plateau: detection,
    plateauExcluded,
    pointStatistic,
  };
}
