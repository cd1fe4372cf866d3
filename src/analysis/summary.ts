import { meanCI } from '../core/stats';
import { type Frame, groupBy, numberAt, parametersOf, type Row, toRows } from './frame';

/** Options of `summarizeSeeds`. */
export interface SummaryOptions {
  /** The metric columns to summarise (e.g. ['gap', 'gradNormSq']). */
  values: readonly string[];
  /** Group keys (default ['config', 'round']: one group per configuration and recorded round). */
  by?: readonly string[];
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
}

/**
 * Mean, standard error and Student-t confidence interval of each metric across seeds, per group:
 *   x̄ ± t_{(1+level)/2, n−1} s/√n.
 * Output rows carry the group keys, the configuration's other parameters (from its first row), `n`, and
 * for each metric v: `v_mean`, `v_se`, `v_lo`, `v_hi`. Non-finite values are left out of a metric's
 * statistics (`v_n` counts what was used).
 */
export function summarizeSeeds(frame: Frame, options: SummaryOptions): Row[] {
  const rows = toRows(frame);
  const by = options.by ?? ['config', 'round'];
  const metrics = new Set(options.values);
  return groupBy(rows, by).map(({ key, rows: group }) => {
    const out: Row = { ...parametersOf(group[0], [...metrics]), ...key, n: group.length };
    for (const v of options.values) {
      const xs = group.map((r) => numberAt(r, v)).filter(Number.isFinite);
      const ci = meanCI(xs, options.level);
      Object.assign(out, { [`${v}_mean`]: ci.mean, [`${v}_se`]: ci.se, [`${v}_lo`]: ci.lo, [`${v}_hi`]: ci.hi, [`${v}_n`]: xs.length });
    }
    return out;
  });
}
