import { FedPGError } from '../core/errors';
import { meanCI } from '../core/stats';
import { logMeanCI } from './logMeanCI';
import { describeStatistic } from './statistic';

/** A paired comparison of two configurations on the same seeds (the same problem per seed). */
export interface PairedComparison {
  /** Arithmetic mean of a_s − b_s with its t-interval (a signed quantity: a t-interval is the right one). */
  difference: { mean: number; lo: number; hi: number };
  /** Geometric mean of a_s / b_s with its log-space t-interval (positive values spanning decades). */
  ratio: { mean: number; lo: number; hi: number };
  n: number;
  differenceStatistic: string;
  ratioStatistic: string;
}

/**
 * Compare a and b seed by seed (`a[s]` and `b[s]` come from the same seed, i.e. the same Garnet):
 *   d_s = a_s − b_s:  d̄ ± t_{(1+level)/2, n−1} s_d/√n;   r_s = a_s / b_s:  exp(mean ln r ± t·se(ln r)).
 * The null "a and b settle at the same level" is difference 0 and ratio 1. Values below `floor`
 * (default 1e-16: round-off) count as floor in the ratio.
 */
export function pairedComparison(a: readonly number[], b: readonly number[], options: { level?: number; floor?: number } = {}): PairedComparison {
  if (a.length !== b.length) throw new FedPGError(`pairedComparison: a has ${a.length} values, b has ${b.length}`);
  const level = options.level ?? 0.95;
  const floor = options.floor ?? 1e-16;
  const d = meanCI(a.map((v, i) => v - b[i]), level);
  const r = logMeanCI(a.map((v, i) => Math.max(v, floor) / Math.max(b[i], floor)), level);
  return {
    difference: { mean: d.mean, lo: d.lo, hi: d.hi },
    ratio: { mean: r.mean, lo: r.lo, hi: r.hi },
    n: a.length,
    differenceStatistic: describeStatistic({ centre: 'arithmetic mean', interval: 't-interval', level, n: a.length, unit: 'paired seeds' }),
    ratioStatistic: describeStatistic({ centre: 'geometric mean', interval: 'log-space t-interval', level, n: a.length, unit: 'paired seeds' }),
  };
}
