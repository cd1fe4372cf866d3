import { filterRows, type Row } from '../analysis/frame';
import { summarizeSeeds } from '../analysis/summary';
import { type AxesOptions, type Figure } from './figure';
import { algorithmName } from './notation';
import { mergeStatistics, seriesFigure } from './series';

/** The budget a comparison figure puts on its x axis. */
export type BudgetAxis = 'envSteps' | 'round' | 'messages';

const AXIS_TITLES: Record<BudgetAxis, string> = {
  envSteps: 'environment steps of all agents (millions)',
  round: 'communication rounds',
  messages: 'vectors communicated (all agents, both directions)',
};

/**
 * The gap J* − J(θ̄) of every algorithm of a comparison against one budget: environment steps, rounds or
 * vectors communicated (comparison.json), one line per algorithm at its own step size (named in the
 * legend). Geometric mean over Garnets (seeds) per recorded round with its log-space 95% t-interval as a
 * band; an algorithm's budget per round is the same on every Garnet, so a round's x value is one number.
 * Round 0 and algorithms that send nothing (local PG) have no point against steps or vectors. Linear axes in
 * the budget, so that the end of the budget, where the comparison is read, is not squeezed. `oracle` picks the panel.
 */
export function gapAgainstBudgetFigure(rows: readonly Row[], o: AxesOptions & { x: BudgetAxis; oracle?: string }): Figure {
  const { x, oracle, ...axes } = o;
  // Round 0 has spent nothing: it is left out of the step and vector axes (it would sit at 0 on a log axis).
  const picked = (oracle ? filterRows(rows, { oracle }) : [...rows]).filter((r) => x === 'round' || (r[x] as number) > 0);
  const summary = summarizeSeeds(picked, { values: x === 'round' ? ['gap'] : ['gap', x], log: true, by: ['config', 'round'] })
    // Millions of environment steps: plain tick labels (an exponent in a tick label prints below 8 pt).
    .map((r): Row => ({ ...r, budget: x === 'round' ? r.round : x === 'envSteps' ? (r[`${x}_mean`] as number) / 1e6 : r[`${x}_mean`] }));
  const statistic = mergeStatistics([...new Set(summary.map((r) => String(r.gap_statistic)))]);
  // "name: detail": a print version too narrow for the step sizes moves them to the caption (presets.ts compactLegend).
  const label = (k: Row) => `${algorithmName(String(k.algorithm))}: η = ${k.stepSize}`;
  return seriesFigure(summary, {
    x: 'budget', y: 'gap_mean', lo: 'gap_lo', hi: 'gap_hi', series: ['algorithm', 'stepSize'], colourBy: ['algorithm'], styleBy: ['algorithm'], label,
    interval: 'band', markers: 'sparse', logY: true,
    title: `Gap against ${x === 'envSteps' ? 'environment steps' : x === 'round' ? 'rounds' : 'vectors sent'}${oracle ? ` (${oracle === 'exact' ? 'exact gradients' : 'sampled gradients'})` : ''}`,
    xTitle: AXIS_TITLES[x], yTitle: 'J* − J(θ̄)', statistic, ...axes,
  });
}
