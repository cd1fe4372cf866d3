import { type MeanCI, meanCI, ols } from '../core/stats';
import { type Frame, groupBy, numberAt, type Row, toRows } from './frame';
import { logMeanCI } from './logMeanCI';
import { describeStatistic } from './statistic';

/** Options of `speedup`. */
export interface SpeedupOptions {
  /** The metric (default 'gap'). */
  y?: string;
  /** The column holding N (default 'agents'). */
  by?: string;
  /** The budget axis: 'round' (default) or 'samples' (`envSteps`) or another column. */
  x?: string;
  /** Compare values at this x (default: the largest x that every N reached). */
  at?: number;
  /** Also report the first x at which the seed-mean of y is ≤ target. */
  target?: number;
  level?: number;
  /**
   * The centre over seeds: 'arithmetic' (default; Student-t CI) or 'geometric' (log-space t-interval, always
   * positive: the one to use for gaps and ‖∇J‖², which are non-negative and span decades).
   */
  mean?: 'arithmetic' | 'geometric';
}

/** One N's numbers. */
export interface SpeedupRow {
  N: number;
  /** y at x = `at`, mean over seeds with CI (geometric mean and log-space CI with `mean: 'geometric'`; `se` is then of ln y). */
  value: MeanCI;
  /** value(N_min) / value(N): the speedup at a fixed budget (N-fold under Theorem 1 means N/N_min). */
  speedup: number;
  /** First x whose seed-mean is ≤ target (NaN if never or no target). */
  toTarget: number;
  /** toTarget(N_min) / toTarget(N). */
  speedupToTarget: number;
}

/** The fitted exponent of N: value ∝ N^exponent (Theorem 1: −1; Theorem 2: −½). */
export interface SpeedupExponent {
  exponent: number;
  se: number;
  ci: [number, number];
  n: number;
}

/** What `speedup` returns. */
export interface Speedup {
  at: number;
  rows: SpeedupRow[];
  /** OLS of log value(N) on log N; null with fewer than 3 values of N. */
  exponent: SpeedupExponent | null;
  /** OLS of log toTarget(N) on log N (rounds needed ∝ N^e; Theorem 1: e = −1); null when not available. */
  exponentToTarget: SpeedupExponent | null;
  /** What `value` is ("geometric mean over 4 seeds, 95% log-space t-interval"). */
  statistic: string;
}

function exponentOf(N: number[], v: number[], level?: number): SpeedupExponent | null {
  const keep = N.map((_, i) => i).filter((i) => v[i] > 0 && Number.isFinite(v[i]));
  if (keep.length < 3) return null;
  const f = ols(keep.map((i) => Math.log(N[i])), keep.map((i) => Math.log(v[i])), level);
  return { exponent: f.slope, se: f.slopeSE, ci: f.slopeCI, n: keep.length };
}

/**
 * The speedup in the number of agents: for each N, y at a fixed budget x (mean over seeds, CI) and the
 * budget needed to reach a target, each relative to the smallest N, and the fitted exponent of N
 * (log–log OLS over the N values). Rows of the same N and x are seeds.
 */
export function speedup(frame: Frame, options: SpeedupOptions = {}): Speedup {
  const y = options.y ?? 'gap';
  const byCol = options.by ?? 'agents';
  const xCol = options.x === undefined || options.x === 'round' ? 'round' : options.x === 'samples' ? 'envSteps' : options.x;
  const rows = toRows(frame);
  const perN = groupBy(rows, [byCol])
    .map((g) => ({ N: numberAt(g.key, byCol), rows: g.rows }))
    .sort((a, b) => a.N - b.N);
  const maxX = perN.map((g) => Math.max(...g.rows.map((r) => numberAt(r, xCol))));
  const at = options.at ?? Math.min(...maxX);
  const curves = perN.map((g) =>
    groupBy(g.rows, [xCol])
      .map((c) => ({ x: numberAt(c.key, xCol), values: c.rows.map((r: Row) => numberAt(r, y)) }))
      .sort((a, b) => a.x - b.x),
  );
  const geometric = options.mean === 'geometric';
  const values: MeanCI[] = curves.map((c) => {
    const v = c.find((p) => p.x === at)?.values ?? [];
    if (!geometric) return meanCI(v, options.level);
    const g = logMeanCI(v, options.level, 1e-300);
    return { mean: g.mean, se: g.logSE, lo: g.lo, hi: g.hi, n: g.n };
  });
  const toTarget = curves.map((c) => {
    if (options.target === undefined) return NaN;
    const hit = c.find((p) => p.values.reduce((s, v) => s + v, 0) / p.values.length <= (options.target as number));
    return hit ? hit.x : NaN;
  });
  const Ns = perN.map((g) => g.N);
  return {
    at,
    rows: perN.map((g, i) => ({ N: g.N, value: values[i], speedup: values[0].mean / values[i].mean, toTarget: toTarget[i], speedupToTarget: toTarget[0] / toTarget[i] })),
    exponent: exponentOf(Ns, values.map((v) => v.mean), options.level),
    exponentToTarget: options.target === undefined ? null : exponentOf(Ns, toTarget, options.level),
    statistic: describeStatistic({ centre: geometric ? 'geometric mean' : 'arithmetic mean', interval: geometric ? 'log-space t-interval' : 't-interval', level: options.level ?? 0.95, n: values.map((v) => v.n) }),
  };
}
