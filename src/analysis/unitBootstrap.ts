import { checkInteger } from '../core/check';
import { createRng } from '../core/rng';

/** A statistic over units with a percentile-bootstrap interval over units. */
export interface UnitBootstrap {
  /** The statistic on all units. */
  estimate: number;
  lo: number;
  hi: number;
  level: number;
  /** Units resampled. */
  n: number;
  resamples: number;
  /**
   * Fraction of resamples where the statistic was not finite (e.g. a log of a mean that came out ≤ 0). Such
   * resamples count as −∞ or +∞ on the side they fell (`undefinedSide`), so when more than (1−level)/2 of them
   * fall on one side the interval is unbounded there and says so.
   */
  undefinedFraction: number;
}

/**
 * A statistic of a set of independent units (seeds, problem instances) with a seeded percentile-bootstrap
 * interval that resamples whole units with replacement: for b = 1..B draw n units i.i.d. from the n, compute
 * stat(units_b), and report the (1−level)/2 and (1+level)/2 quantiles (type 7). Use it for statistics that
 * are not a mean of per-unit numbers: e.g. the exponent of N fitted to the mean over units of a difference
 * that can be ≤ 0 for some units. A resample whose statistic is not finite counts as `undefinedSide`
 * (default −∞: a log of a non-positive mean), so the interval widens instead of silently dropping it.
 * With few units (n ≤ 5) the percentile bootstrap under-covers: say so where it is used.
 */
export function bootstrapUnits<U>(units: readonly U[], stat: (units: U[]) => number, options: { level?: number; resamples?: number; seed?: number; undefinedSide?: -1 | 1 } = {}): UnitBootstrap {
  const level = options.level ?? 0.95;
  const B = checkInteger('resamples', options.resamples ?? 4000, 2);
  const n = units.length;
  const estimate = stat([...units]);
  if (n < 2) return { estimate, lo: NaN, hi: NaN, level, n, resamples: B, undefinedFraction: 0 };
  const rng = createRng(`unit-bootstrap/${options.seed ?? 1}`);
  const values = new Float64Array(B);
  let undefinedCount = 0;
  const side = (options.undefinedSide ?? -1) * Infinity;
  const sample: U[] = new Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) sample[i] = units[Math.floor(rng.double() * n)];
    const v = stat(sample);
    if (Number.isFinite(v)) values[b] = v;
    else {
      values[b] = side;
      undefinedCount++;
    }
  }
  values.sort();
  return { estimate, lo: quantileWithInfinities(values, (1 - level) / 2), hi: quantileWithInfinities(values, (1 + level) / 2), level, n, resamples: B, undefinedFraction: undefinedCount / B };
}

/** The p-quantile of sorted values (type 7), where an infinite neighbour makes the quantile infinite, never NaN. */
function quantileWithInfinities(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const a = sorted[lo];
  const b = sorted[hi];
  if (h === lo || a === b) return a;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return h - lo < 0.5 ? a : b;
  return a + (h - lo) * (b - a);
}
