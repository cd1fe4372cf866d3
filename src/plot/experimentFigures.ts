import { filterRows, finalRows, groupBy, type Row } from '../analysis/frame';
import { plateau } from '../analysis/plateau';
import { fitRate } from '../analysis/rateFit';
import { speedup } from '../analysis/speedup';
import { summarizeSeeds } from '../analysis/summary';
import type { AxesOptions, Figure } from './figure';
import { rateFigure, speedupFigure } from './rate';
import { settingsLabel } from './settings';
import { convergenceFigure, seriesFigure } from './series';

// The figures of the shipped experiments (data/experiments/), shared by the notebooks that discuss them
// (04, 05) and the one that exports the paper's figure set (06). Each takes a sweep's rows.

// Curves on log axes show geometric means over seeds with the CI of the mean log (summarizeSeeds `log`):
// gaps span decades across seeds, where an arithmetic CI would reach below zero.

/** Gap against rounds, geometric mean over seeds with 95% CI bands, one line per algorithm, at one (H, h). */
export function biasCurvesFigure(rows: readonly Row[], o: AxesOptions & { localSteps: number; heterogeneity: number }): Figure {
  const sel = filterRows(rows, { localSteps: o.localSteps, heterogeneity: o.heterogeneity }).filter((r) => (r.round as number) > 0);
  const summary = summarizeSeeds(sel, { values: ['gap'], log: true });
  return convergenceFigure(summary, { x: 'round', y: 'gap', series: ['algorithm'], label: (k) => String(k.algorithm), title: `Gap J* − J(θ̄), H = ${o.localSteps}, h = ${o.heterogeneity}`, xTitle: 'round t', yTitle: 'J* − J(θ̄ᵗ)', ...o });
}

/** The plateau (mean gap over the last 20% of rounds) against H, one line per algorithm, at heterogeneity h; geometric mean over seeds, CI bars. */
export function plateauFigure(rows: readonly Row[], o: AxesOptions & { heterogeneity: number }): Figure {
  const p = plateau(filterRows(rows, { heterogeneity: o.heterogeneity }), { y: 'gap', lastFraction: 0.2, log: true });
  return seriesFigure(p, {
    x: 'localSteps', y: 'plateau_mean', lo: 'plateau_lo', hi: 'plateau_hi', series: ['algorithm'], label: (k) => String(k.algorithm),
    interval: 'bars', markers: true, logX: true, logY: true, title: `Gap over the last 20% of rounds, h = ${o.heterogeneity}`, xTitle: 'local steps H', yTitle: 'plateau of J* − J(θ̄)', ...o,
  });
}

/** Log–log fits of y after T rounds against T, one series per N, for the rows of one series (e.g. oracle = sampled). */
export function rateInTFigure(rows: readonly Row[], o: AxesOptions & { y: string; referenceSlope: number; referenceLabel: string }): Figure {
  const series = groupBy(finalRows(rows), ['agents'])
    .sort((a, b) => (a.key.agents as number) - (b.key.agents as number))
    .map(({ key, rows: r }) => ({ name: `N = ${key.agents}`, fit: fitRate(r, { x: 'round', y: o.y }) }));
  return rateFigure(series, { xTitle: 'rounds T', yTitle: o.y, reference: { slope: o.referenceSlope, label: o.referenceLabel }, ...o });
}

/** Speedup in N at the largest T, one series per value of `by` (e.g. oracle or batch), with the ideal line. */
export function speedupInNFigure(rows: readonly Row[], o: AxesOptions & { y: string; by: readonly string[]; idealExponent: number }): Figure {
  const series = groupBy(finalRows(rows), o.by).map(({ key, rows: r }) => ({ name: settingsLabel(key), speedup: speedup(r, { y: o.y }) }));
  return speedupFigure(series, { idealLabel: `ideal: ${o.idealExponent === -1 ? 'N-fold' : o.idealExponent === -0.5 ? '√N-fold' : `N^${-o.idealExponent}`}`, ...o });
}

/** Gap against rounds on a log scale (linear convergence is a straight line), one line per (algorithm, H). */
export function linearRateFigure(rows: readonly Row[], o: AxesOptions = {}): Figure {
  const summary = summarizeSeeds(rows, { values: ['gap'], log: true, floor: 1e-16 });
  return convergenceFigure(summary, { x: 'round', y: 'gap', series: ['algorithm', 'localSteps'], label: (k) => `${k.algorithm}, H = ${k.localSteps}`, title: 'Exact gradients, τ = 1: gap J* − J(θ̄)', xTitle: 'round t', yTitle: 'J* − J(θ̄ᵗ) (floored at 1e-16)', legend: 'bottom-left', ...o });
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
    title: `${o.oracle === 'exact' ? 'Exact' : 'Sampled'} gradients: gap J* − J(θ̄)`, xTitle: 'round t', yTitle: 'J* − J(θ̄ᵗ) (floored at 1e-16)', legend: 'bottom-left', ...o,
  });
}
