import { filterRows, finalRows, groupBy, type Row } from '../analysis/frame';
import { fixedPointLevels } from '../analysis/fixedPoint';
import { logMeanCI } from '../analysis/logMeanCI';
import type { RateFit } from '../analysis/rateFit';
import { fitPerUnit } from '../analysis/unitFit';
import { describeStatistic } from '../analysis/statistic';
import { summarizeSeeds } from '../analysis/summary';
import { histogramFigure } from './agents';
import type { AxesOptions, Figure } from './figure';
import { algorithmName, parameterLabel, powerLaw, seriesName } from './notation';
import { rateFigure, speedupFigure } from './rate';
import { convergenceFigure, mergeStatistics, seriesFigure } from './series';

// The figures of the shipped experiments (data/experiments/), shared by the notebooks that discuss them
// (04, 05) and the one that exports the paper's figure set (06). Each takes a sweep's rows.
//
// Gaps and ‖∇J‖² are non-negative and span decades across seeds, so every summary here is a geometric
// mean with a log-space t-interval (always positive); the report (scripts/report.ts) quotes the same
// statistic, and each figure names it (`meta.statistic`: in the subtitle in notebooks, in the caption on paper).

/** Gap against rounds, geometric mean over seeds with CI bands, one line per algorithm, at one (H, h). */
export function biasCurvesFigure(rows: readonly Row[], o: AxesOptions & { localSteps: number; heterogeneity: number }): Figure {
  const sel = filterRows(rows, { localSteps: o.localSteps, heterogeneity: o.heterogeneity }).filter((r) => (r.round as number) > 0);
  const summary = summarizeSeeds(sel, { values: ['gap'], log: true });
  return convergenceFigure(summary, {
    x: 'round', y: 'gap', series: ['algorithm'], label: (k) => algorithmName(String(k.algorithm)), markers: 'sparse',
    title: `Gap J* − J(θ̄), ${parameterLabel('localSteps', o.localSteps)}, ${parameterLabel('heterogeneity', o.heterogeneity)}`, xTitle: 'round t', yTitle: 'J* − J(θ̄ᵗ)', ...o,
  });
}

/**
 * Against H at heterogeneity h: FedAvg-PG's fixed-point gap (its runs that moved by less than 0.1% over their
 * last 20% of rounds; geometric mean over those Garnets, 95% log-space CI bars) next to Fast-FedPG's gap after
 * T rounds for a few T (geometric mean over Garnets), which keeps falling as T grows: a fixed point against a
 * moving curve, not a ratio of the two. The legend of FedAvg-PG says how many runs reached their fixed point.
 */
export function fixedPointFigure(rows: readonly Row[], o: AxesOptions & { heterogeneity: number; rounds?: readonly number[] }): Figure {
  const sel = filterRows(rows, { heterogeneity: o.heterogeneity });
  const points: Row[] = [];
  const fedavg = fixedPointLevels(filterRows(sel, { algorithm: 'fedavg-pg' }), { y: 'gap', lastFraction: 0.2, tolerance: 1e-3 });
  let converged = 0;
  let total = 0;
  for (const { key, rows: runs } of groupBy(fedavg, ['localSteps'])) {
    const conv = runs.filter((r) => r.gap_converged === true);
    converged += conv.length;
    total += runs.length;
    if (conv.length === 0) continue;
    const ci = logMeanCI(conv.map((r) => r.gap_fixedPoint as number), 0.95, 1e-16);
    points.push({ series: 'FedAvg-PG: fixed point', localSteps: key.localSteps, gap: ci.mean, lo: ci.lo, hi: ci.hi });
  }
  const fast = filterRows(sel, { algorithm: 'fast-fedpg' });
  const Tmax = Math.max(...fast.map((r) => r.round as number));
  for (const T of o.rounds ?? [Tmax / 4, Tmax / 2, Tmax]) {
    for (const { key, rows: runs } of groupBy(filterRows(fast, { round: T }), ['localSteps'])) {
      const ci = logMeanCI(runs.map((r) => r.gap as number), 0.95, 1e-16);
      points.push({ series: `Fast-FedPG after T = ${T}`, localSteps: key.localSteps, gap: ci.mean, lo: ci.lo, hi: ci.hi });
    }
  }
  const Garnets = new Set(sel.map((r) => r.seed)).size;
  return seriesFigure(points, {
    x: 'localSteps', y: 'gap', lo: 'lo', hi: 'hi', series: ['series'], label: (k) => String(k.series), interval: 'bars', markers: true, logX: true, logY: true, dodge: 0.015,
    statistic: `geometric mean over Garnets (each seed a new Garnet; ${Garnets} in all), 95% log-space t-interval; FedAvg-PG: the ${converged} of ${total} runs whose gap moved by less than 0.1% over their last 20% of rounds`,
    title: `FedAvg-PG's fixed point and Fast-FedPG's gap, ${parameterLabel('heterogeneity', o.heterogeneity)}`, xTitle: 'local steps H', yTitle: 'J* − J(θ̄)', ...o,
  });
}

/**
 * A rate fitted per seed (analysis/unitFit.ts) in the shape the rate figure draws: markers at the geometric
 * mean over seeds of y at each x, the line exp(mean intercept + mean slope · ln x), the slope's interval over
 * seeds. The figure's statistic says both.
 */
function unitRateSeries(rows: readonly Row[], y: string, level = 0.95): RateFit {
  const f = fitPerUnit(rows, { x: 'round', y, level });
  const byX = groupBy(rows.filter((r) => (r[y] as number) > 0), ['round']).sort((a, b) => (a.key.round as number) - (b.key.round as number));
  const points = byX.map((g) => ({ x: g.key.round as number, y: Math.exp(g.rows.reduce((s, r) => s + Math.log(r[y] as number), 0) / g.rows.length) }));
  return {
    slope: f.slope, slopeSE: f.se, slopeCI: [f.lo, f.hi], intercept: NaN, r2: NaN, n: f.units, dropped: 0, scale: 'log-log', points, line: f.line,
    label: '', window: f.window, plateau: { detected: false, headSlope: NaN, tailSlope: NaN, ratio: NaN, level: NaN, transientEnd: NaN, reason: '' }, plateauExcluded: 0,
    pointStatistic: describeStatistic({ centre: 'geometric mean', interval: 'none', level: 0, n: byX.map((g) => g.rows.length) }),
  };
}

/**
 * Log–log rate of y after T rounds against T, one series per N, for the rows of one series (e.g. oracle =
 * sampled): markers are geometric means over seeds, lines and slopes come from per-seed fits with the
 * interval over seeds (as the report). `points: 'trajectory'` reads every recorded round of one run per seed
 * (steps that do not depend on T) instead of the last round of one run per T.
 */
export function rateInTFigure(rows: readonly Row[], o: AxesOptions & { y: string; referenceSlope: number; referenceLabel: string; points?: 'final' | 'trajectory' }): Figure {
  const use = (o.points ?? 'final') === 'final' ? finalRows(rows) : rows.filter((r) => (r.round as number) > 0);
  const series = groupBy(use, ['agents'])
    .sort((a, b) => (a.key.agents as number) - (b.key.agents as number))
    .map(({ key, rows: r }) => ({ name: parameterLabel('agents', key.agents), fit: unitRateSeries(r, o.y) }));
  const units = Math.max(...series.map((s) => s.fit.n));
  const statistic = o.statistic ?? `points: ${[...new Set(series.map((s) => s.fit.pointStatistic))].join('; ')}; lines and slopes: mean of per-seed log–log OLS fits, ± half-width of the 95% t-interval over ${units} seeds`;
  return rateFigure(series, { xTitle: 'rounds T', yTitle: o.y, reference: { slope: o.referenceSlope, label: o.referenceLabel }, ...o, statistic });
}

/**
 * Speedup in N at the largest T, one series per value of `by` (e.g. oracle or batch), with the ideal line.
 * Paired by seed (each seed is one Garnet run at every N): per seed u the speedup y_u(N_min)/y_u(N), then its
 * geometric mean over seeds with a 95% log-space t-interval; the exponent in each legend is fitted per seed
 * over the N shown, with its interval over seeds (as the report). Pairing removes the spread of the Garnets'
 * levels, which says nothing about the speedup. `label` names a series from its key (default: `seriesName`).
 */
export function speedupInNFigure(rows: readonly Row[], o: AxesOptions & { y: string; by: readonly string[]; idealExponent: number; label?: (key: Row) => string }): Figure {
  let units = 0;
  const series = groupBy(finalRows(rows), o.by).map(({ key, rows: r }) => {
    const at = Math.min(...groupBy(r, ['agents']).map((g) => Math.max(...g.rows.map((x) => x.round as number))));
    const atT = r.filter((x) => x.round === at && (x[o.y] as number) > 0);
    const Ns = [...new Set(atT.map((x) => x.agents as number))].sort((a, b) => a - b);
    const bySeed = new Map<unknown, Map<number, number>>();
    for (const x of atT) {
      if (!bySeed.has(x.seed)) bySeed.set(x.seed, new Map());
      bySeed.get(x.seed)!.set(x.agents as number, x[o.y] as number);
    }
    const seeds = [...bySeed.values()].filter((m) => Ns.every((N) => m.has(N)));
    units = Math.max(units, seeds.length);
    const speedupRows = Ns.map((N) => {
      const ratio = logMeanCI(seeds.map((m) => m.get(N)! / m.get(Ns[0])!), 0.95);
      return { N, value: { mean: ratio.mean, se: ratio.logSE, lo: ratio.lo, hi: ratio.hi, n: ratio.n }, speedup: 1 / ratio.mean, toTarget: NaN, speedupToTarget: NaN };
    });
    speedupRows[0].value = { mean: 1, se: 0, lo: 1, hi: 1, n: seeds.length };
    const f = fitPerUnit(atT, { x: 'agents', y: o.y });
    const sp = { at, rows: speedupRows, exponent: { exponent: f.slope, se: f.se, ci: [f.lo, f.hi] as [number, number], n: f.units }, exponentToTarget: null, statistic: '' };
    return { name: (o.label ?? seriesName)(key), speedup: sp };
  });
  const ideal = o.idealExponent === -1 ? 'N-fold' : o.idealExponent === -0.5 ? '√N-fold' : powerLaw('N', -o.idealExponent);
  const statistic = o.statistic ?? `per-seed speedup y(N_min)/y(N), geometric mean over ${units} seeds, 95% log-space t-interval; exponents: per-seed OLS, 95% t-interval over seeds`;
  return speedupFigure(series, { idealLabel: `ideal: ${ideal}`, ...o, statistic });
}

/** Gap against rounds on a log scale (linear convergence is a straight line): colour by H, dash and marker by algorithm (FedAvg-PG with H = 1 is Fast-FedPG with H = 1, and both stay visible). */
export function linearRateFigure(rows: readonly Row[], o: AxesOptions = {}): Figure {
  const summary = summarizeSeeds(rows, { values: ['gap'], log: true, floor: 1e-16 });
  return convergenceFigure(summary, {
    x: 'round', y: 'gap', series: ['algorithm', 'localSteps'], colourBy: ['localSteps'], styleBy: ['algorithm'], markers: 'sparse',
    label: (k) => seriesName(k), title: 'Exact gradients, τ = 1: gap J* − J(θ̄)', xTitle: 'round t', yTitle: 'J* − J(θ̄ᵗ)',
    statistic: `${mergeStatistics([...new Set(summary.map((r) => String(r.gap_statistic)))])}; gaps below 10<sup>−16</sup> (round-off) counted as 10<sup>−16</sup>`, ...o,
  });
}

/**
 * The averaged-MDP identity's exact error over every problem of the identity sweep (one problem per setting
 * and seed: the count is settings × seeds, and the figure says so).
 */
export function identityErrorFigure(rows: readonly Row[], o: AxesOptions = {}): Figure {
  const settings = groupBy(rows, ['states', 'agents', 'entropy']).length;
  const perSetting = rows.length / settings;
  const count = `${rows.length} problems (${settings} settings × ${Number.isInteger(perSetting) ? perSetting : '≈' + perSetting.toFixed(1)} seeds)`;
  return histogramFigure([{ name: 'exact', values: rows.map((r) => Math.max(r.exactError as number, 1e-18)) }], {
    title: 'Averaged-MDP identity error', xTitle: 'log₁₀ max<sub>k</sub> |mean<sub>i</sub> ∇J<sub>i</sub> − ∇J̄|', statistic: `histogram over ${count}`, ...o,
  });
}

/** "fednpg, W = ring", "fedsvrpg-m, β = 0.5, H = 5": a series label naming the algorithm's options. */
function algorithmSettingsLabel(k: Record<string, unknown>): string {
  const parts = [String(k.algorithm)];
  if (k.mixing !== undefined) parts.push(`W = ${k.mixing}`);
  if (k.beta !== undefined) parts.push(`β = ${k.beta}`);
  if (k.localSteps !== undefined) parts.push(`H = ${k.localSteps}`);
  return parts.join(', ');
}

/**
 * Gap against rounds for the rows of one oracle of data/experiments/baselines.json, one line per
 * (algorithm, its options, H); geometric mean over seeds with 95% CI bands.
 */
export function baselineCurvesFigure(rows: readonly Row[], o: AxesOptions & { oracle: 'exact' | 'sampled' }): Figure {
  const sel = filterRows(rows, { oracle: o.oracle }).filter((r) => (r.round as number) > 0);
  const summary = summarizeSeeds(sel, { values: ['gap'], log: true, floor: 1e-16 });
  return convergenceFigure(summary, {
    x: 'round', y: 'gap', series: ['algorithm', 'mixing', 'beta', 'localSteps'], label: algorithmSettingsLabel,
    title: `${o.oracle === 'exact' ? 'Exact' : 'Sampled'} gradients: gap J* − J(θ̄)`, xTitle: 'round t', yTitle: 'J* − J(θ̄ᵗ) (floored at 1e-16)', ...o,
  });
}
