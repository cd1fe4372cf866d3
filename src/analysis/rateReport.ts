import { type Frame, finalRows, groupBy, type Row, toRows } from './frame';
import { PlateauError } from './plateau';
import { fitRate } from './rateFit';
import { speedup } from './speedup';

/** Options of `rateReport`. */
export interface RateReportOptions {
  /** The metric after T rounds: 'gap' (Theorem 1) or 'gradNormSqAvg' (Theorem 2). */
  y: string;
  /** Columns that split the runs into series besides N (default: whichever of 'oracle', 'batch', 'algorithm', 'localSteps', 'heterogeneity', 'transitionHeterogeneity', 'entropy' vary). */
  by?: readonly string[];
  /** Also fit the N-exponent over N ≥ this (default 2: a single agent's reward is R̄ itself, so its noise differs). */
  agentsFrom?: number;
  level?: number;
  /** Centre over seeds of each point and of value(N): 'geometric' (default; what the log–log figures draw) or 'arithmetic'. */
  mean?: 'arithmetic' | 'geometric';
}

/** Slopes in T per series and N, and the N-exponent per series: the numbers behind the rate figures. */
export interface RateReport {
  /**
   * One row per series and N: the series keys, `agents`, `slope`, `slopeLo`, `slopeHi`, `points`, the fitted
   * window `from`–`to` of T and `plateau` (the reason when points were left out as a plateau, else '').
   */
  slopes: Row[];
  /**
   * One row per series: `at` (the largest T), `exponent` (value ∝ N^exponent over all N), its CI, and the
   * same over N ≥ agentsFrom (`exponentFrom`, …).
   */
  speedups: Row[];
}

const CANDIDATES = ['oracle', 'batch', 'algorithm', 'localSteps', 'heterogeneity', 'transitionHeterogeneity', 'entropy'];

/**
 * For sweeps whose grid has `rounds` (T, one run per T) and `agents` (N): per series and N, the log–log slope
 * of y after T rounds against T (analysis/rateFit.ts, seed means); per series, the fitted exponent of N in
 * y at the largest T (analysis/speedup.ts). Theorem 1 predicts slope −1 and exponent −1 for the gap,
 * Theorem 2 −½ and −½ for (1/T) Σ ‖∇J‖², each up to log factors.
 */
export function rateReport(frame: Frame, options: RateReportOptions): RateReport {
  const rows = finalRows(toRows(frame));
  const by = options.by ?? CANDIDATES.filter((c) => new Set(rows.map((r) => r[c])).size > 1);
  const from = options.agentsFrom ?? 2;
  const slopes: Row[] = [];
  const speedups: Row[] = [];
  const mean = options.mean ?? 'geometric';
  for (const series of groupBy(rows, by)) {
    for (const { key, rows: perN } of groupBy(series.rows, ['agents'])) {
      try {
        const fit = fitRate(perN, { x: 'round', y: options.y, level: options.level, mean });
        slopes.push({ ...series.key, agents: key.agents, slope: fit.slope, slopeLo: fit.slopeCI[0], slopeHi: fit.slopeCI[1], points: fit.n, from: fit.window.from, to: fit.window.to, plateau: fit.plateauExcluded > 0 ? fit.plateau.reason : '' });
      } catch (e) {
        if (!(e instanceof PlateauError)) throw e;
        slopes.push({ ...series.key, agents: key.agents, slope: NaN, slopeLo: NaN, slopeHi: NaN, points: 0, from: NaN, to: NaN, plateau: e.message });
      }
    }
    const all = speedup(series.rows, { y: options.y, level: options.level, mean });
    const some = speedup(series.rows.filter((r) => (r.agents as number) >= from), { y: options.y, level: options.level, mean });
    speedups.push({
      ...series.key,
      at: all.at,
      exponent: all.exponent?.exponent ?? NaN,
      exponentLo: all.exponent?.ci[0] ?? NaN,
      exponentHi: all.exponent?.ci[1] ?? NaN,
      agentsFrom: from,
      exponentFrom: some.exponent?.exponent ?? NaN,
      exponentFromLo: some.exponent?.ci[0] ?? NaN,
      exponentFromHi: some.exponent?.ci[1] ?? NaN,
    });
  }
  return { slopes, speedups };
}

/** A markdown table of rows (numbers to `digits` significant digits), for reports and the README. */
export function markdownTable(rows: readonly Row[], columns?: readonly string[], digits = 3): string {
  if (rows.length === 0) return '(no rows)';
  const cols = columns ?? Object.keys(rows[0]);
  const fmt = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(digits)) : String(v));
  return [`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${cols.map((c) => fmt(r[c])).join(' | ')} |`)].join('\n');
}
