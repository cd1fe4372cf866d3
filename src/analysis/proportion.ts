import { checkInteger } from '../core/check';
import { FedPGError } from '../core/errors';
import { normalQuantile } from '../core/stats';

/** A binomial proportion k/n with its Wilson score interval. */
export interface ProportionCI {
  /** k/n. */
  estimate: number;
  lo: number;
  hi: number;
  level: number;
  successes: number;
  n: number;
}

/**
 * The Wilson score interval (Wilson 1927) for a binomial proportion p̂ = k/n at `level`: with z the normal
 * (1+level)/2 quantile,
 *   centre = (p̂ + z²/(2n)) / (1 + z²/n),   half-width = z √(p̂(1−p̂)/n + z²/(4n²)) / (1 + z²/n).
 * It inverts the score test, so unlike the Wald interval p̂ ± z√(p̂(1−p̂)/n) it is never of zero width, also
 * at k = 0 and k = n (e.g. 20 of 20 at 90%: [0.88, 1]), and keeps close to its nominal coverage for small n
 * (Brown, Cai & DasGupta 2001). For "on how many units did it work" statistics, such as the share of
 * Garnets on which IFCA recovers the true groups exactly.
 */
export function wilsonInterval(successes: number, n: number, level = 0.95): ProportionCI {
  checkInteger('n', n, 1);
  checkInteger('successes', successes, 0);
  if (successes > n) throw new FedPGError(`wilsonInterval: successes = ${successes} is more than n = ${n}`);
  const p = successes / n;
  const z = normalQuantile((1 + level) / 2);
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + z2n);
  return { estimate: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half), level, successes, n };
}
