import { type MeanCI, meanCI, ols } from '../core/stats';
import { type Frame, groupBy, numberAt, type Row, toRows } from './frame';

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
}

/** One N's numbers. */
export interface SpeedupRow {
  N: number;
  /** y at x = `at`, mean over seeds with CI. */
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
  const values = curves.map((c) => meanCI(c.find((p) => p.x === at)?.values ?? [], options.level));
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
  };
}
