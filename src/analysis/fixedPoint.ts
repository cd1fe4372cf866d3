import { type Frame, groupBy, numberAt, type Row, toRows } from './frame';

/** Options of `fixedPointLevels`. */
export interface FixedPointOptions {
  /** The metric (default 'gap'). */
  y?: string;
  /** The part of each run's rounds over which convergence is checked (default the last 0.2). */
  lastFraction?: number;
  /** Largest relative change |y_T − y_{(1−f)T}| / y_T that counts as converged (default 1e-3). */
  tolerance?: number;
}

/**
 * The level a deterministic run (exact gradients, constant step) converges to, and whether it has: one row per
 * run (job) with the run's columns, `round` = T, `<y>_fixedPoint` = y after T rounds, `<y>_change` = the
 * relative change |y_T − y_{t₀}| / |y_T| since the first recorded round t₀ ≥ (1 − f)·T, and
 * `<y>_converged` = change < tolerance. For FedAvg-PG with exact gradients the iteration θ̄ ↦ F(θ̄) has a
 * fixed point whose gap is its heterogeneity bias; this reads that gap off a run long enough to reach it,
 * and says when the run was not long enough (instead of averaging a curve that is still moving).
 */
export function fixedPointLevels(frame: Frame, options: FixedPointOptions = {}): Row[] {
  const y = options.y ?? 'gap';
  const f = options.lastFraction ?? 0.2;
  const tolerance = options.tolerance ?? 1e-3;
  return groupBy(toRows(frame), ['job']).map(({ rows: run }) => {
    const sorted = [...run].sort((a, b) => numberAt(a, 'round') - numberAt(b, 'round'));
    const last = sorted[sorted.length - 1];
    const T = numberAt(last, 'round');
    const first = sorted.find((r) => numberAt(r, 'round') >= (1 - f) * T) ?? last;
    const level = numberAt(last, y);
    const change = Math.abs(level - numberAt(first, y)) / Math.abs(level);
    return { ...last, [`${y}_fixedPoint`]: level, [`${y}_change`]: change, [`${y}_converged`]: change < tolerance } as Row;
  });
}
