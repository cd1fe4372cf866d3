import { FedPGError } from '../core/errors';
import { meanCI, ols, studentTQuantile } from '../core/stats';
import { bootstrapMeanCI } from './bootstrap';
import { describeStatistic } from './statistic';
import { type Frame, groupBy, numberAt, parametersOf, type Row, toRows } from './frame';

/** Options of `plateau`. */
export interface PlateauOptions {
  /** The metric (default 'gap'). */
  y?: string;
  /** The last fraction of each run's recorded rounds to average (default 0.2). */
  lastFraction?: number;
  /** Group keys of a configuration (default ['config']). */
  by?: readonly string[];
  level?: number;
  /** Average the runs' plateaus in log₁₀ (geometric mean and a positive CI, for log axes); floor 1e-16. */
  log?: boolean;
  /** Without `log`: 't' (default) or a seeded percentile 'bootstrap' (bounds never below 0). */
  interval?: 't' | 'bootstrap';
}

/**
 * Each run's settled level: the mean of y over its recorded rounds with round ≥ (1 − f)·T_run. One row per
 * run (job) with the run's columns, `round` = T_run and `<y>_plateau`.
 */
export function runPlateaus(frame: Frame, options: { y?: string; lastFraction?: number } = {}): Row[] {
  const y = options.y ?? 'gap';
  const f = options.lastFraction ?? 0.2;
  return groupBy(toRows(frame), ['job']).map(({ rows: run }) => {
    const T = Math.max(...run.map((r) => numberAt(r, 'round')));
    const tail = run.filter((r) => numberAt(r, 'round') >= (1 - f) * T);
    const level = tail.reduce((s, r) => s + numberAt(r, y), 0) / tail.length;
    return { ...run[0], round: T, [`${y}_plateau`]: level } as Row;
  });
}

/**
 * The level a run settles at (`runPlateaus`), summarised per configuration across seeds with a CI.
 * FedAvg-PG's heterogeneity bias shows as a plateau far above Fast-FedPG's on the same problems;
 * Fast-FedPG's keeps falling with T. Output rows: the configuration's parameters, `plateau_mean`,
 * `plateau_se`, `plateau_lo`, `plateau_hi`, `n` and `plateau_statistic` (what the mean and interval are).
 */
export function plateau(frame: Frame, options: PlateauOptions = {}): Row[] {
  const y = options.y ?? 'gap';
  const perRun = runPlateaus(frame, { y, lastFraction: options.lastFraction });
  return groupBy(perRun, options.by ?? ['config']).map(({ key, rows: runs }) => {
    const levels = runs.map((r) => r[`${y}_plateau`] as number);
    const level = options.level ?? 0.95;
    const base = { ...parametersOf(runs[0], ['round', `${y}_plateau`]), ...key, n: levels.length };
    if (!options.log && options.interval === 'bootstrap') {
      const b = bootstrapMeanCI(levels, { level });
      return { ...base, plateau_mean: b.mean, plateau_se: NaN, plateau_lo: b.lo, plateau_hi: b.hi, plateau_statistic: describeStatistic({ centre: 'arithmetic mean', interval: 'percentile bootstrap', level, n: b.n, resamples: b.resamples }) };
    }
    const ci = meanCI(options.log ? levels.map((x) => Math.log10(Math.max(x, 1e-16))) : levels, level);
    const back = (x: number) => (options.log ? 10 ** x : x);
    const statistic = describeStatistic({ centre: options.log ? 'geometric mean' : 'arithmetic mean', interval: options.log ? 'log-space t-interval' : 't-interval', level, n: ci.n });
    return { ...base, plateau_mean: back(ci.mean), plateau_se: ci.se, plateau_lo: back(ci.lo), plateau_hi: back(ci.hi), plateau_statistic: statistic };
  });
}

/** What `detectPlateau` found on a curve. */
export interface PlateauDetection {
  detected: boolean;
  /** Slope of ln y over the first and the last part of the points (per unit of the fit's x: x or ln x). */
  headSlope: number;
  tailSlope: number;
  /** tailSlope / headSlope: ≈ 1 on a straight line (power law or linear rate), ≈ 0 on a plateau. */
  ratio: number;
  /** Mean y over the tail (the plateau's level when detected). */
  level: number;
  /** The largest x of the transient: the last point whose y exceeds `excess` × level (NaN when none). */
  transientEnd: number;
  reason: string;
}

/**
 * Whether a decreasing curve (x, y > 0) has flattened onto a level, as a rate fit sees it: with u = x
 * (semi-log) or ln x (log-log), compare the OLS slope of ln y on u over the last `tailFraction` of the points
 * (the tail, at least 3) with the slope over as many first points (the head). A plateau is declared when
 *   1. the head falls (slope < 0),
 *   2. the tail is flat in absolute terms: over its own span it falls by less than a factor 1 + `flatness`
 *      (default 0.1), |tail slope|·(u_last − u_first) < ln(1 + flatness),
 *   3. the tail falls much more slowly than the head: tail/head < `maxRatio` (default 0.25), and
 *   4. the two slopes differ by more than their noise: |tail − head| > t_{0.975, 2(k−2)} √(se_head² + se_tail²).
 * Condition 2 is what separates a plateau y = b + c·ρᵗ that has reached b from linear convergence whose
 * rate slows (y = c₁ρ₁ᵗ + c₂ρ₂ᵗ with ρ₁ < ρ₂ < 1: the tail still falls by ρ₂ per round, by many percent over
 * the tail) and from a power law (which falls by a constant factor per doubling of x). The transient,
 * where a rate can still be fitted, is where y > `excess` (default 2) × the tail level: there y − b > b.
 */
export function detectPlateau(points: readonly { x: number; y: number }[], options: { scale?: 'log-log' | 'semi-log'; tailFraction?: number; maxRatio?: number; excess?: number; flatness?: number } = {}): PlateauDetection {
  const pts = [...points].sort((a, b) => a.x - b.x);
  const k = Math.max(3, Math.round(pts.length * (options.tailFraction ?? 1 / 3)));
  const none = { detected: false, headSlope: NaN, tailSlope: NaN, ratio: NaN, level: NaN, transientEnd: NaN };
  if (pts.length < 2 * k) return { ...none, reason: `too few points (${pts.length}) to compare a head and a tail of ${k}` };
  const u = (x: number) => ((options.scale ?? 'log-log') === 'log-log' ? Math.log(x) : x);
  const fitOf = (part: { x: number; y: number }[]) => ols(part.map((p) => u(p.x)), part.map((p) => Math.log(p.y)));
  const head = fitOf(pts.slice(0, k));
  const tail = fitOf(pts.slice(pts.length - k));
  const headSlope = head.slope;
  const tailSlope = tail.slope;
  const ratio = tailSlope / headSlope;
  const level = pts.slice(pts.length - k).reduce((s, p) => s + p.y, 0) / k;
  const noise = studentTQuantile(0.975, 2 * (k - 2)) * Math.hypot(head.slopeSE, tail.slopeSE);
  const tailPoints = pts.slice(pts.length - k);
  const tailFall = Math.abs(tailSlope) * (u(tailPoints[k - 1].x) - u(tailPoints[0].x));
  const flat = tailFall < Math.log(1 + (options.flatness ?? 0.1));
  const detected = headSlope < 0 && flat && ratio < (options.maxRatio ?? 0.25) && Math.abs(tailSlope - headSlope) > noise;
  const transient = pts.filter((p) => p.y > (options.excess ?? 2) * level);
  const transientEnd = transient.length > 0 ? transient[transient.length - 1].x : NaN;
  const g = (v: number) => v.toPrecision(2);
  const reason = detected
    ? `plateau: the last ${k} points fall at slope ${g(tailSlope)}, ${g(ratio)} of the first ${k} points' ${g(headSlope)}, at level ≈ ${g(level)}`
    : `no plateau: the last ${k} points' slope ${g(tailSlope)} is ${g(ratio)} of the first ${k} points' ${g(headSlope)}${flat ? '' : `, and they still fall by a factor ${g(Math.exp(tailFall))}`}`;
  return { detected, headSlope, tailSlope, ratio, level, transientEnd, reason };
}

/** Thrown by a rate fit that refuses a curve which has plateaued (its message says why). */
export class PlateauError extends FedPGError {}
