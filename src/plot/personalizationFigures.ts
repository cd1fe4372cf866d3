import { filterRows, finalRows, type Row } from '../analysis/frame';
import { type RecoveryStatistic, recoverySummary } from '../analysis/recovery';
import { summarizeSeeds } from '../analysis/summary';
import { type AxesOptions, baseLayout, colour, type Figure } from './figure';
import { algorithmName, formatNumber, parameterLabel } from './notation';
import { finishFigure } from './presets';
import { mergeStatistics, seriesFigure } from './series';

// The figures of the personalisation and clustering experiments (data/experiments/cluster-recovery.json,
// ditto-tradeoff.json, matched-budget.json), drawn in notebook 09. Each takes a sweep's rows and uses the
// final recorded round of every run.

const statisticOf = (summary: readonly Row[], v: string) => mergeStatistics([...new Set(summary.map((r) => String(r[`${v}_statistic`])))]);

/** "Ditto, λ = 0.1", "IFCA, K = 3", "Fast-FedPG": an approach's name from a row (personalization as JSON text). */
export function approachLabel(row: Row): string {
  const parts = [algorithmName(String(row.algorithm))];
  if (row.algorithm === 'ifca' && row.clusters !== undefined) parts.push(`K = ${row.clusters}`);
  if (row.algorithm === 'ifca' && typeof row.clusterInit === 'string') parts.push(row.clusterInit === 'random' ? 'random init' : `${row.clusterInit === 'farthest' ? 'farthest-point' : row.clusterInit} init`);
  if (typeof row.personalization === 'string') parts.push(`λ = ${formatNumber(JSON.parse(row.personalization).lambda as number, { significant: 3 })}`);
  return parts.join(', ');
}

/**
 * Cluster recovery against the batch M (log axis), one line per separation h: `y` (default the adjusted Rand
 * index; or the accuracy, or the share of Garnets recovered exactly) at the last round, summarised by
 * `recoverySummary` with the Garnet as the unit (a Garnet's restarts averaged first): means with t-interval
 * bars, or for 'exactRecovery' shares with Wilson score bars. Runs with the exact oracle are drawn as dotted
 * horizontal lines in the colour of their h (the M → ∞ limit). `bound` rows ({ heterogeneity, batch,
 * accuracy }), e.g. from `pickErrorBound`, are drawn as dashed lines (accuracy only); a bound that is 0 over
 * the whole range is left out and the statistic says so. `chance`: the level of picks made at random, drawn
 * as a grey line. Give rows of one initialisation (clusterInit); the title names it.
 */
export function clusterRecoveryFigure(rows: readonly Row[], o: AxesOptions & { y?: RecoveryStatistic; bound?: readonly Row[]; chance?: number } = {}): Figure {
  const y = o.y ?? 'assignmentARI';
  const summary = recoverySummary(rows, { y });
  const sampled = summary.filter((r) => r.oracle === 'sampled');
  const exact = summary.filter((r) => r.oracle === 'exact');
  const inits = [...new Set(summary.map((r) => r.clusterInit).filter((x) => x !== undefined && x !== null))];
  const hs = [...new Set(sampled.map((r) => r.heterogeneity as number))].sort((a, b) => a - b);
  const Ms = sampled.map((r) => r.batch as number);
  const [mLo, mHi] = [Math.min(...Ms), Math.max(...Ms)];
  const xTitle = 'batch M (trajectories per estimate)';
  const yTitle = { assignmentAccuracy: 'assignment accuracy', assignmentARI: 'adjusted Rand index', exactRecovery: 'share of Garnets recovered exactly' }[y];
  const lines = seriesFigure(sampled, {
    x: 'batch', y: `${y}_mean`, lo: `${y}_lo`, hi: `${y}_hi`, series: ['heterogeneity'], label: (k) => `sampled, ${parameterLabel('heterogeneity', k.heterogeneity)}`,
    interval: 'bars', markers: true, logX: true, dodge: 0.02,
  }).data.map((t) => (t.mode === 'lines+markers' ? { ...t, line: { ...(t.line as object), dash: 'solid' } } : t));
  const extra: Figure['data'] = [];
  for (const r of exact) {
    const i = hs.indexOf(r.heterogeneity as number);
    extra.push({ type: 'scatter', mode: 'lines', x: [mLo, mHi], y: [r[`${y}_mean`], r[`${y}_mean`]], name: `exact oracle, ${parameterLabel('heterogeneity', r.heterogeneity)}`, line: { color: colour(i < 0 ? hs.length : i), width: 1.5, dash: 'dot' } });
  }
  if (o.chance !== undefined) extra.push({ type: 'scatter', mode: 'lines', x: [mLo, mHi], y: [o.chance, o.chance], name: 'chance (random picks)', line: { color: '#999999', width: 1, dash: 'dashdot' } });
  const drawn = y === 'assignmentAccuracy' ? (o.bound ?? []).filter((b) => (b.accuracy as number) > 0) : [];
  const boundHs = [...new Set(drawn.map((b) => b.heterogeneity as number))].sort((a, b) => a - b);
  for (const h of boundHs) {
    const pts = (o.bound ?? []).filter((b) => b.heterogeneity === h).sort((a, b) => (a.batch as number) - (b.batch as number));
    extra.push({ type: 'scatter', mode: 'lines', x: pts.map((b) => b.batch), y: pts.map((b) => b.accuracy), name: `Hoeffding bound, ${parameterLabel('heterogeneity', h)}`, line: { color: colour(hs.indexOf(h)), width: 1.5, dash: 'dash' } });
  }
  // The legend names the exact-oracle, chance and bound lines; the statistic stays short (it is a title line in notebooks).
  const notes = [`${statisticOf(sampled, y)} at the last round`, y === 'assignmentAccuracy' && o.bound && boundHs.length === 0 ? 'Hoeffding bound 0 (vacuous) at every M: not drawn' : ''].filter(Boolean);
  const initName = inits.length === 1 ? ` (${inits[0] === 'random' ? 'random models' : inits[0] === 'farthest' ? 'farthest-point seeds' : `${String(inits[0])} init`})` : '';
  const axes = { title: `IFCA${initName}: recovery of the true clusters against M`, xTitle, yTitle, logX: true, ...o, statistic: o.statistic ?? notes.join('; ') };
  const layout = baseLayout(axes);
  layout.yaxis = { ...(layout.yaxis as object), range: [y === 'assignmentARI' ? -0.1 : 0, 1.05], autorange: false };
  return finishFigure({ data: [...lines, ...extra], layout, meta: { title: axes.title, provenance: o.subtitle, statistic: axes.statistic } }, { legend: o.legend, designX: [...new Set(Ms)].sort((a, b) => a - b) });
}

/**
 * Ditto's trade-off over λ: each agent's own gap (1/N) Σ_i (J_i* − J_i(v_i)) against the global gap at the
 * personal models (1/N) Σ_i (J* − J(v_i)) (columns agentGapMean and agentGlobalGapMean), one line through
 * the λ values per h, with the other algorithms of the rows (Fast-FedPG: the λ → ∞ end; IFCA) as single
 * points. Geometric means over Garnets at the last round, log-space 95% t-interval bars on the own gap.
 */
export function dittoTradeoffFigure(rows: readonly Row[], o: AxesOptions = {}): Figure {
  const summary = summarizeSeeds(finalRows(rows), { values: ['agentGapMean', 'agentGlobalGapMean'], log: true, by: ['config'] });
  const several = new Set(summary.map((r) => r.heterogeneity)).size > 1;
  const label = (k: Row) => (k.algorithm === 'ditto' ? 'Ditto, λ from 10 (left) to 0 (right)' : approachLabel(k)) + (several ? `, ${parameterLabel('heterogeneity', k.heterogeneity)}` : '');
  // Only IFCA's K names an approach (Ditto and Fast-FedPG rows may carry an unused clusters value).
  const keyed: Row[] = summary.map((r) => {
    const { clusters, ...rest } = r;
    return r.algorithm === 'ifca' ? { ...rest, clusters } : rest;
  });
  return seriesFigure(keyed, {
    x: 'agentGlobalGapMean_mean', y: 'agentGapMean_mean', lo: 'agentGapMean_lo', hi: 'agentGapMean_hi', series: ['algorithm', 'clusters', 'heterogeneity'], label,
    colourBy: ['algorithm', 'clusters'], styleBy: ['heterogeneity'], interval: 'bars', markers: true, logX: true, logY: true,
    title: 'Ditto over λ: own gap against global gap', xTitle: 'global gap at θᵢ: (1/N) Σᵢ (J* − J(θᵢ))', yTitle: 'own gap: (1/N) Σᵢ (Jᵢ* − Jᵢ(θᵢ))',
    statistic: `${statisticOf(summary, 'agentGapMean')} (bars: own gap) at the last round`, ...o,
  });
}

/**
 * A gap against the reward heterogeneity h, one line per approach (algorithm and its options): `y` is
 * agentGapMean (each agent's own gap) or gap (the global gap at θ̄); geometric means over Garnets at the
 * last round with log-space 95% t-interval bars.
 */
export function gapAgainstHeterogeneityFigure(rows: readonly Row[], options: AxesOptions & { y: 'agentGapMean' | 'gap' | 'agentGlobalGapMean' }): Figure {
  const { y, ...o } = options;
  const summary = summarizeSeeds(finalRows(rows), { values: [y], log: true, by: ['config'] });
  const titles = { agentGapMean: ['Each agent\'s own gap', '(1/N) Σᵢ (Jᵢ* − Jᵢ(θᵢ))'], gap: ['Global gap of θ̄', 'J* − J(θ̄)'], agentGlobalGapMean: ['Global gap at each agent\'s θᵢ', '(1/N) Σᵢ (J* − J(θᵢ))'] }[y];
  return seriesFigure(summary, {
    x: 'heterogeneity', y: `${y}_mean`, lo: `${y}_lo`, hi: `${y}_hi`, series: ['algorithm', 'clusters', 'clusterInit', 'personalization'], label: approachLabel,
    interval: 'bars', markers: true, logY: true, title: titles[0], xTitle: 'reward heterogeneity h of the cluster centres', yTitle: titles[1],
    statistic: `${statisticOf(summary, y)} at the last round`, ...o,
  });
}
