import { meanCI } from '../core/stats';
import { type Frame, finalRows, groupBy, numberAt, type Row } from './frame';
import { wilsonInterval } from './proportion';

/** What `recoverySummary` summarises: the ARI, the accuracy, or whether the groups were recovered exactly. */
export type RecoveryStatistic = 'assignmentARI' | 'assignmentAccuracy' | 'exactRecovery';

/**
 * Cluster recovery at the last recorded round, with the problem instance as the unit of replication: runs
 * are grouped by (clusterInit, heterogeneity, oracle, batch) and, inside a group, by `unit` (default
 * 'problemSeed' when the rows have it, else 'seed': one Garnet). A unit's restarts (other run seeds on the
 * same Garnet) are first reduced to one number: the mean of `y` over them, or for 'exactRecovery' whether its
 * first restart (lowest seed) has ARI = 1. Then over units:
 * - 'assignmentARI', 'assignmentAccuracy': the arithmetic mean with a Student-t interval over units, clipped to
 *   the possible range (ARI in [−1, 1], accuracy in [0, 1]); zero width when every unit gives the same value;
 * - 'exactRecovery': the share of units recovered exactly with its Wilson score interval, never of zero width.
 * Output rows: the group keys, `n` (units), `restarts` (largest per unit), and `<y>_mean`, `<y>_lo`, `<y>_hi`,
 * `<y>_statistic`.
 */
export function recoverySummary(frame: Frame, options: { y?: RecoveryStatistic; unit?: string; level?: number } = {}): Row[] {
  const y = options.y ?? 'assignmentARI';
  const level = options.level ?? 0.95;
  const final = finalRows(frame);
  const unit = options.unit ?? (final.some((r) => r.problemSeed !== undefined && r.problemSeed !== null) ? 'problemSeed' : 'seed');
  return groupBy(final, ['clusterInit', 'heterogeneity', 'oracle', 'batch']).map(({ key, rows }) => {
    const units = groupBy(rows, [unit]).map(({ rows: restarts }) => {
      if (y === 'exactRecovery') return numberAt(restarts.reduce((a, b) => (numberAt(b, 'seed') < numberAt(a, 'seed') ? b : a)), 'assignmentARI') === 1 ? 1 : 0;
      return restarts.reduce((s, r) => s + numberAt(r, y), 0) / restarts.length;
    });
    const restarts = Math.max(...groupBy(rows, [unit]).map((g) => g.rows.length));
    const n = units.length;
    const per = restarts > 1 ? ` (${y === 'exactRecovery' ? 'first of' : 'mean over'} ${restarts} restarts each)` : '';
    const names = `${n} ${unit === 'problemSeed' || unit === 'seed' ? (n === 1 ? 'Garnet' : 'Garnets') : `${unit}s`}${per}`;
    const pct = Math.round(level * 100);
    if (y === 'exactRecovery') {
      const w = wilsonInterval(units.reduce((s, x) => s + x, 0), n, level);
      return { ...key, n, restarts, [`${y}_mean`]: w.estimate, [`${y}_lo`]: w.lo, [`${y}_hi`]: w.hi, [`${y}_statistic`]: `share of ${names} with ARI = 1, ${pct}% Wilson score interval` };
    }
    const ci = meanCI(units, level);
    // The t-interval clipped to the statistic's possible range (ARI ≤ 1, ARI ≥ −1; accuracy in [0, 1]).
    const [min, max] = y === 'assignmentARI' ? [-1, 1] : [0, 1];
    return { ...key, n, restarts, [`${y}_mean`]: ci.mean, [`${y}_lo`]: Math.max(min, ci.lo), [`${y}_hi`]: Math.min(max, ci.hi), [`${y}_statistic`]: `arithmetic mean over ${names}, ${n > 1 ? `${pct}% t-interval (clipped to the possible range)` : 'no interval (one Garnet)'}` };
  });
}
