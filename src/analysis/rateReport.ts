import { ols } from '../core/stats';
import { excessOverControl } from './control';
import { type Frame, finalRows, groupBy, numberAt, type Row, toRows } from './frame';
import { fitPerUnit } from './unitFit';
import { bootstrapUnits } from './unitBootstrap';

/** Options of `rateReport`. */
export interface RateReportOptions {
  /** The metric after T rounds: 'gap' (Theorem 1) or 'gradNormSqAvg' (Theorem 2). */
  y: string;
  /**
   * Columns that split the runs into series besides N (default: whichever of 'oracle', 'batch', 'stepSize',
   * 'algorithm', 'localSteps', 'heterogeneity', 'transitionHeterogeneity', 'entropy' vary).
   */
  by?: readonly string[];
  /** The exponent of N is fitted over N ≥ this (default 2: a single agent's reward is R̄ itself, so its noise differs). */
  agentsFrom?: number;
  /** Level of every interval (default 0.95; the claims use 0.90, two one-sided tests at 5%). */
  level?: number;
  /** The unit of replication (default 'seed': each seed is one problem instance and one set of streams). */
  unit?: string;
  /**
   * 'final' (default): one run per T, the value after its last round (planned step sizes depend on T);
   * 'trajectory': one run per series, the value at every recorded round t > 0 (steps that do not depend on T).
   */
  points?: 'final' | 'trajectory';
  /** What marks the noise-free control rows (default { oracle: 'exact' }); none if no row matches. */
  control?: Row;
  /** Bootstrap resamples for the excess's exponent (default 4000). */
  resamples?: number;
}

/** Slopes in T, exponents of N and the excess over the noise-free control, per series: the numbers behind the rate figures and claims. */
export interface RateReport {
  /** One row per series and N: series keys, `agents`, `slope`, `lo`, `hi`, `se`, `df`, `units`, `from`, `to`, `statistic`. */
  slopes: Row[];
  /** One row per series: `at` (largest T), `agentsFrom`, `exponent`, `lo`, `hi`, `se`, `df`, `units`, `statistic` (N ≥ agentsFrom), and the same over all N (`exponentAll`, `loAll`, `hiAll`). */
  speedups: Row[];
  /**
   * One row per non-control series with a control: `at`, `excessShare` (mean over units and N of
   * (y − y_control)/y), `exponent`, `lo`, `hi` of the mean excess in N (N ≥ agentsFrom), `undefinedFraction`,
   * `statistic`, and the mean excess per N as `excess_N<n>`.
   */
  excess: Row[];
}

const CANDIDATES = ['oracle', 'batch', 'stepSize', 'algorithm', 'localSteps', 'heterogeneity', 'transitionHeterogeneity', 'entropy'];

/** A series key value as text (step-size schedules are objects). */
function label(v: unknown): string | number | boolean {
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
}

/**
 * For sweeps over T (`rounds`, or recorded rounds of one run) and N (`agents`), per series:
 *  - the slope of ln y in ln T per N, fitted per unit (seed) and averaged, interval over units (analysis/unitFit.ts);
 *  - the exponent of N in y at the largest T, fitted per unit over N ≥ agentsFrom (and over all N);
 *  - against the noise-free control (the exact-gradient run of the same seed, N, T and step): the excess
 *    e = y − y_control, its share of y, and the exponent of N in the mean excess over units, with a percentile
 *    bootstrap over units (the excess of one unit can be ≤ 0, so it is not fitted per unit).
 * Theorem 1 predicts slope −1 and exponent −1 for the gap, Theorem 2 −½ and −½ for (1/T) Σ ‖∇J‖², each up
 * to log factors; averaging the agents' noise predicts an excess ∝ 1/N at a fixed step.
 */
export function rateReport(frame: Frame, options: RateReportOptions): RateReport {
  const all = toRows(frame).filter((r) => numberAt(r, 'round') > 0);
  const rows = (options.points ?? 'final') === 'final' ? finalRows(all) : all;
  const unit = options.unit ?? 'seed';
  const level = options.level ?? 0.95;
  const by = options.by ?? CANDIDATES.filter((c) => new Set(rows.map((r) => JSON.stringify(r[c] ?? null))).size > 1);
  const from = options.agentsFrom ?? 2;
  const slopes: Row[] = [];
  const speedups: Row[] = [];
  const excess: Row[] = [];
  const keyOf = (k: Row) => Object.fromEntries(Object.entries(k).map(([c, v]) => [c, label(v)])) as Row;
  for (const series of groupBy(rows, by)) {
    const key = keyOf(series.key);
    for (const { key: n, rows: perN } of groupBy(series.rows, ['agents'])) {
      if (new Set(perN.map((r) => r.round)).size < 3) continue;
      const f = fitPerUnit(perN, { x: 'round', y: options.y, unit, level });
      slopes.push({ ...key, agents: n.agents, slope: f.slope, lo: f.lo, hi: f.hi, se: f.se, df: f.df, units: f.units, from: f.window.from, to: f.window.to, statistic: f.statistic });
    }
    const at = Math.max(...series.rows.map((r) => numberAt(r, 'round')));
    const atT = series.rows.filter((r) => numberAt(r, 'round') === at);
    if (new Set(atT.map((r) => r.agents)).size < 3) continue;
    const some = atT.filter((r) => numberAt(r, 'agents') >= from);
    const fSome = new Set(some.map((r) => r.agents)).size >= 3 ? fitPerUnit(some, { x: 'agents', y: options.y, unit, level }) : null;
    const fAll = fitPerUnit(atT, { x: 'agents', y: options.y, unit, level });
    speedups.push({
      ...key,
      at,
      agentsFrom: from,
      exponent: fSome?.slope ?? NaN,
      lo: fSome?.lo ?? NaN,
      hi: fSome?.hi ?? NaN,
      se: fSome?.se ?? NaN,
      df: fSome?.df ?? NaN,
      units: fSome?.units ?? 0,
      statistic: fSome?.statistic ?? '',
      exponentAll: fAll.slope,
      loAll: fAll.lo,
      hiAll: fAll.hi,
    });
  }
  const control = options.control ?? { oracle: 'exact' };
  const hasControl = rows.some((r) => Object.entries(control).every(([c, v]) => r[c] === v));
  if (hasControl) {
    const match = [unit, 'agents', 'round', ...by.filter((c) => !(c in control) && c !== 'batch' && c !== 'oracle')];
    const withExcess = excessOverControl(rows, { y: options.y, control, match });
    for (const series of groupBy(withExcess, by)) {
      const at = Math.max(...series.rows.map((r) => numberAt(r, 'round')));
      const atT = series.rows.filter((r) => numberAt(r, 'round') === at && numberAt(r, 'agents') >= from);
      const Ns = [...new Set(atT.map((r) => numberAt(r, 'agents')))].sort((a, b) => a - b);
      if (Ns.length < 3) continue;
      const units = [...new Set(atT.map((r) => r[unit]))];
      const value = new Map(atT.map((r) => [`${r[unit]}|${r.agents}`, numberAt(r, `${options.y}_excess`)]));
      const meanExcess = (us: unknown[], N: number) => us.reduce((s: number, u) => s + (value.get(`${u}|${N}`) ?? NaN), 0) / us.length;
      const exponentOf = (us: unknown[]) => {
        const m = Ns.map((N) => meanExcess(us, N));
        return m.every((x) => x > 0) ? ols(Ns.map(Math.log), m.map(Math.log)).slope : NaN;
      };
      const b = bootstrapUnits(units, exponentOf, { level, resamples: options.resamples });
      const share = atT.reduce((s, r) => s + numberAt(r, `${options.y}_excess`) / numberAt(r, options.y), 0) / atT.length;
      excess.push({
        ...keyOf(series.key),
        at,
        agentsFrom: from,
        excessShare: share,
        exponent: b.estimate,
        lo: b.lo,
        hi: b.hi,
        undefinedFraction: b.undefinedFraction,
        units: units.length,
        statistic: `OLS exponent of N in the mean over ${units.length} ${unit}s of y − y_exact (N ≥ ${from}, T = ${at}), ${Math.round(level * 100)}% percentile bootstrap over ${unit}s (${b.resamples} resamples${b.undefinedFraction > 0 ? `; ${(100 * b.undefinedFraction).toFixed(0)}% of them had a mean excess ≤ 0 at some N, counted as −∞` : ''})`,
        ...Object.fromEntries(Ns.map((N) => [`excess_N${N}`, meanExcess(units, N)])),
      });
    }
  }
  return { slopes, speedups, excess };
}

/** A markdown table of rows (numbers to `digits` significant digits), for reports and the README. */
export function markdownTable(rows: readonly Row[], columns?: readonly string[], digits = 3): string {
  if (rows.length === 0) return '(no rows)';
  const cols = columns ?? Object.keys(rows[0]);
  // A '|' inside a cell (|x| in a statistic's text) would end the cell: escape it.
  const fmt = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(digits)) : String(v).replace(/\|/g, '\\|'));
  return [`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${cols.map((c) => fmt(r[c])).join(' | ')} |`)].join('\n');
}
