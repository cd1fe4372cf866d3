import { meanCI } from '../core/stats';
import { type Frame, groupBy, numberAt, parametersOf, type Row, toRows } from './frame';

/** Options of `plateau`. */
export interface PlateauOptions {
  /** The metric (default 'gap'). */
  y?: string;
  /** The last fraction of each run's recorded rounds to average (default 0.2). */
  lastFraction?: number;
  /** Group keys of a configuration (default ['config']). */
  by?: readonly string[];
  level?: number;
  /** Average the runs' plateaus in log₁₀ (geometric mean and a positive CI, for log axes); floor 1e-16. */
  log?: boolean;
}

/**
 * The level a run settles at: per run, the mean of y over the recorded rounds with round ≥ (1 − f)·T_run;
 * per configuration, the mean of those levels across seeds with a Student-t CI. FedAvg-PG's heterogeneity
 * bias shows as a plateau whose CI stays away from 0; Fast-FedPG's keeps falling with T.
 * Output rows: the configuration's parameters, `plateau_mean`, `plateau_se`, `plateau_lo`, `plateau_hi`, `n`.
 */
export function plateau(frame: Frame, options: PlateauOptions = {}): Row[] {
  const y = options.y ?? 'gap';
  const f = options.lastFraction ?? 0.2;
  const rows = toRows(frame);
  const perRun = groupBy(rows, ['job']).map(({ rows: run }) => {
    const T = Math.max(...run.map((r) => numberAt(r, 'round')));
    const tail = run.filter((r) => numberAt(r, 'round') >= (1 - f) * T);
    const level = tail.reduce((s, r) => s + numberAt(r, y), 0) / tail.length;
    return { ...run[0], round: T, [`${y}_plateau`]: level } as Row;
  });
  return groupBy(perRun, options.by ?? ['config']).map(({ key, rows: runs }) => {
    const levels = runs.map((r) => r[`${y}_plateau`] as number);
    const ci = meanCI(options.log ? levels.map((x) => Math.log10(Math.max(x, 1e-16))) : levels, options.level);
    const back = (x: number) => (options.log ? 10 ** x : x);
    return { ...parametersOf(runs[0], ['round', `${y}_plateau`]), ...key, n: ci.n, plateau_mean: back(ci.mean), plateau_se: ci.se, plateau_lo: back(ci.lo), plateau_hi: back(ci.hi) };
  });
}
