import { meanCI } from '../core/stats';
import { bootstrapMeanCI } from './bootstrap';
import { describeStatistic } from './statistic';
import { type Frame, groupBy, numberAt, parametersOf, type Row, toRows } from './frame';

/** Options of `summarizeSeeds`. */
export interface SummaryOptions {
  /** The metric columns to summarise (e.g. ['gap', 'gradNormSq']). */
  values: readonly string[];
  /** Group keys (default ['config', 'round']: one group per configuration and recorded round). */
  by?: readonly string[];
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /**
   * Summarise log₁₀ y instead (for positive metrics spanning decades, plotted on log axes): `v_mean` is then
   * the geometric mean 10^mean(log₁₀ y) and [v_lo, v_hi] the interval of the log mean mapped back, which
   * stays positive. Values below `floor` (default 1e-16: gaps at round-off, which can be ≤ 0) count as floor,
   * and so the interval's lower end is never below the floor either (a floored value cannot be).
   */
  log?: boolean;
  floor?: number;
  /**
   * For arithmetic means of a non-negative metric: 'bootstrap' gives a seeded percentile-bootstrap interval
   * (bounds inside the data's range, never below 0) instead of the t-interval (default 't').
   */
  interval?: 't' | 'bootstrap';
}

/**
 * Mean, standard error and Student-t confidence interval of each metric across seeds, per group:
 *   x̄ ± t_{(1+level)/2, n−1} s/√n.
 * Output rows carry the group keys, the configuration's other parameters (from its first row), `n`, and
 * for each metric v: `v_mean`, `v_se`, `v_lo`, `v_hi` (with `log`, of log₁₀ v, mapped back). Non-finite
 * values are left out of a metric's statistics (`v_n` counts what was used). `v_statistic` names what was
 * computed ("geometric mean over 4 seeds, 95% log-space t-interval"): figures and reports quote it.
 */
export function summarizeSeeds(frame: Frame, options: SummaryOptions): Row[] {
  const rows = toRows(frame);
  const by = options.by ?? ['config', 'round'];
  const metrics = new Set(options.values);
  return groupBy(rows, by).map(({ key, rows: group }) => {
    const out: Row = { ...parametersOf(group[0], [...metrics]), ...key, n: group.length };
    for (const v of options.values) {
      const xs = group.map((r) => numberAt(r, v)).filter(Number.isFinite);
      if (options.log) {
        const floor = options.floor ?? 1e-16;
        const ci = meanCI(xs.map((x) => Math.log10(Math.max(x, floor))), options.level);
        const up = (x: number) => 10 ** x;
        Object.assign(out, { [`${v}_mean`]: up(ci.mean), [`${v}_se`]: ci.se, [`${v}_lo`]: Number.isNaN(ci.lo) ? NaN : Math.max(up(ci.lo), floor), [`${v}_hi`]: up(ci.hi), [`${v}_n`]: xs.length });
        out[`${v}_statistic`] = describeStatistic({ centre: 'geometric mean', interval: 'log-space t-interval', level: options.level ?? 0.95, n: xs.length });
      } else if (options.interval === 'bootstrap') {
        const ci = bootstrapMeanCI(xs, { level: options.level });
        Object.assign(out, { [`${v}_mean`]: ci.mean, [`${v}_se`]: NaN, [`${v}_lo`]: ci.lo, [`${v}_hi`]: ci.hi, [`${v}_n`]: xs.length });
        out[`${v}_statistic`] = describeStatistic({ centre: 'arithmetic mean', interval: 'percentile bootstrap', level: options.level ?? 0.95, n: xs.length, resamples: ci.resamples });
      } else {
        const ci = meanCI(xs, options.level);
        Object.assign(out, { [`${v}_mean`]: ci.mean, [`${v}_se`]: ci.se, [`${v}_lo`]: ci.lo, [`${v}_hi`]: ci.hi, [`${v}_n`]: xs.length });
        out[`${v}_statistic`] = describeStatistic({ centre: 'arithmetic mean', interval: 't-interval', level: options.level ?? 0.95, n: xs.length });
      }
    }
    return out;
  });
}
