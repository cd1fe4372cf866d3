import { createRng } from '../core/rng';
import { mean } from '../core/stats';
import { checkInteger } from '../core/check';

/** An arithmetic mean with a percentile-bootstrap interval. */
export interface BootstrapCI {
  mean: number;
  lo: number;
  hi: number;
  n: number;
  resamples: number;
}

/**
 * Arithmetic mean with a seeded percentile-bootstrap interval: draw `resamples` samples of size n with
 * replacement, take each one's mean, and report the (1−level)/2 and (1+level)/2 empirical quantiles
 * (type-7 interpolation). The bounds are means of the data, so they lie in [min x, max x]: never below 0 for
 * a non-negative quantity. With few seeds it under-covers (n = 3 has only 10 distinct resamples): prefer
 * `logMeanCI` there. The stream is seeded (default seed 1), so the interval is reproducible.
 */
export function bootstrapMeanCI(x: readonly number[], options: { level?: number; resamples?: number; seed?: number } = {}): BootstrapCI {
  const level = options.level ?? 0.95;
  const B = checkInteger('resamples', options.resamples ?? 10000, 2);
  const n = x.length;
  const m = mean(x);
  if (n < 2) return { mean: m, lo: NaN, hi: NaN, n, resamples: B };
  const rng = createRng(`bootstrap/${options.seed ?? 1}`);
  const means = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[Math.floor(rng.double() * n)];
    means[b] = s / n;
  }
  means.sort();
  return { mean: m, lo: quantileSorted(means, (1 - level) / 2), hi: quantileSorted(means, (1 + level) / 2), n, resamples: B };
}

/** The p-quantile of sorted values, linear interpolation between order statistics (R's type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
