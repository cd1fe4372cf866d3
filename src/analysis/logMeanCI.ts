import { mean, standardError, studentTQuantile } from '../core/stats';
import { fail } from '../core/check';

/** A geometric mean with its log-space interval. */
export interface LogMeanCI {
  /** exp(mean of ln x): the geometric mean. */
  mean: number;
  lo: number;
  hi: number;
  /** Mean and standard error of ln x. */
  logMean: number;
  logSE: number;
  n: number;
}

/**
 * Geometric mean of positive values with a Student-t interval for the mean of ln x, mapped back:
 *   g = exp(ȳ),  [exp(ȳ − t s_y/√n), exp(ȳ + t s_y/√n)],  y_i = ln x_i,  t = t_{(1+level)/2, n−1}.
 * The interval is positive by construction: the right one for a non-negative quantity that spans decades
 * (gaps, plateaus, ‖∇J‖²); it is an interval for the median of a log-normal population. Values below
 * `floor` count as `floor` (gaps at round-off can be ≤ 0); with no floor a value ≤ 0 is an error.
 */
export function logMeanCI(x: readonly number[], level = 0.95, floor?: number): LogMeanCI {
  const y = x.map((v, i) => {
    if (floor !== undefined) return Math.log(Math.max(v, floor));
    if (!(v > 0)) fail(`x[${i}]`, v, 'must be > 0 for a geometric mean (pass a floor for values at round-off)');
    return Math.log(v);
  });
  const n = y.length;
  const m = mean(y);
  if (n < 2) return { mean: Math.exp(m), lo: NaN, hi: NaN, logMean: m, logSE: NaN, n };
  const se = standardError(y);
  const h = studentTQuantile((1 + level) / 2, n - 1) * se;
  return { mean: Math.exp(m), lo: Math.exp(m - h), hi: Math.exp(m + h), logMean: m, logSE: se, n };
}
