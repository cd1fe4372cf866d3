import { filterRows, finalRows, type Row } from '../analysis/frame';
import { summarizeSeeds } from '../analysis/summary';
import type { AxesOptions, Figure } from './figure';
import { formatNumber, parameterLabel } from './notation';
import { mergeStatistics, seriesFigure } from './series';

// Figures of agents whose transitions differ (docs/heterogeneous-transitions.md), shared by notebook 08 and
// the figure set of notebook 06.

const QUANTITIES = ['bound', 'maxError', 'meanError'] as const;
// Short: the statistic line says what the max and the mean are over (legends of print figures are narrow).
const QUANTITY_LABELS: Record<(typeof QUANTITIES)[number], string> = {
  bound: 'bound',
  maxError: 'max |J − J̄|',
  meanError: 'mean |J − J̄|',
};

/**
 * The virtual MDP's error against κ next to its bound, log–log: from `virtualMDPErrorAgainstKappa` rows, the
 * bound, the largest and the mean |J(π) − J̄(π)| over the random policies, colour by reward heterogeneity h,
 * dash and marker by quantity. The bound grows like κ (ε_i ∝ κ); the error's slope shows how much of it is
 * first order.
 */
export function virtualBoundFigure(rows: readonly Row[], o: AxesOptions = {}): Figure {
  const hs = new Set(rows.map((r) => r.heterogeneity));
  // One bound line when the bounds of the h values agree within 5% at every κ (their spans differ little):
  // the largest of them, which bounds every h's error, instead of lines drawn on top of each other.
  const boundAt = new Map<unknown, number[]>();
  for (const r of rows) boundAt.set(r.transitionHeterogeneity, [...(boundAt.get(r.transitionHeterogeneity) ?? []), r.bound as number]);
  const oneBound = hs.size > 1 && [...boundAt.values()].every((b) => Math.max(...b) <= 1.05 * Math.min(...b));
  const long: Row[] = rows.flatMap((r) =>
    QUANTITIES.filter((q) => !(oneBound && q === 'bound')).map((q) => ({ transitionHeterogeneity: r.transitionHeterogeneity, heterogeneity: r.heterogeneity, quantity: q, value: r[q] as number })),
  );
  if (oneBound) for (const [kappa, b] of boundAt) long.push({ transitionHeterogeneity: kappa as number, heterogeneity: 'all', quantity: 'bound', value: Math.max(...b) });
  const policies = [...new Set(rows.map((r) => r.policies))].join(', ');
  const scales = [...new Set(rows.map((r) => r.scale))].map((x) => formatNumber(x as number, { significant: 3 })).join(', ');
  return seriesFigure(long, {
    x: 'transitionHeterogeneity', y: 'value', series: ['quantity', 'heterogeneity'], colourBy: ['heterogeneity'], styleBy: ['quantity'], markers: true, logX: true, logY: true,
    label: (k) => `${QUANTITY_LABELS[k.quantity as (typeof QUANTITIES)[number]]}${k.heterogeneity === 'all' ? (hs.size > 1 ? ' (largest over h)' : '') : hs.size > 1 ? `, ${parameterLabel('heterogeneity', k.heterogeneity)}` : ''}`,
    title: 'Virtual MDP (P̄, R̄): error |J − J̄| and its bound against κ', xTitle: 'transition heterogeneity κ', yTitle: '|J(π) − J̄(π)|',
    statistic: `max and mean of |J − J̄| over ${policies} random policies per point (θ entries U[−s, s], s = ${scales}); the bound (simulation lemma) holds for every policy`, ...o,
  });
}

/**
 * FedAvg-PG's bias against κ: per run, ‖∇J_τ(θ̄ᵀ)‖² after the last round (exact gradients: the floor its
 * rounds settle at), geometric mean over seeds (Garnets) with log-space CI bars, one line per reward
 * heterogeneity h, κ on a linear axis. Values below `floor` (default 10⁻¹⁶) count as the floor, and the
 * figure says so: at κ = 0, h = 0 the agents are identical, FedAvg-PG is Fast-FedPG and ‖∇J‖² keeps falling
 * towards round-off, so that point measures the run's length, not a bias.
 */
export function biasAgainstKappaFigure(rows: readonly Row[], o: AxesOptions & { algorithm?: string; floor?: number } = {}): Figure {
  const floor = o.floor ?? 1e-16;
  const final = filterRows(finalRows(rows), { algorithm: o.algorithm ?? 'fedavg-pg' });
  const summary = summarizeSeeds(final, { values: ['gradNormSq'], by: ['heterogeneity', 'transitionHeterogeneity'], log: true, floor });
  const stats = mergeStatistics([...new Set(summary.map((r) => String(r.gradNormSq_statistic)))]);
  const T = Math.max(...final.map((r) => r.round as number));
  const { algorithm: _a, floor: _f, ...axes } = o;
  return seriesFigure(summary, {
    x: 'transitionHeterogeneity', y: 'gradNormSq_mean', lo: 'gradNormSq_lo', hi: 'gradNormSq_hi', series: ['heterogeneity'], interval: 'bars', markers: true, logY: true,
    title: `FedAvg-PG's floor of ‖∇J(θ̄ᵀ)‖² against κ (exact gradients, T = ${T})`, xTitle: 'transition heterogeneity κ', yTitle: '‖∇J(θ̄ᵀ)‖²',
    statistic: `${stats}; values below ${formatNumber(floor, { significant: 1 })} drawn at ${formatNumber(floor, { significant: 1 })}`, ...axes,
  });
}
