import { checkKnownKeys } from '../core/schema';
import type { ResultFrame } from '../core/resultFrame';
import type { ResolvedConfig, RunConfig } from '../algorithms/config';
import { resolveConfig } from '../runs/resolve';
import { createRun } from '../runs/run';
import { type Row, toFrame } from '../analysis/frame';
import { summarizeSeeds } from '../analysis/summary';
import { checkInteger } from '../core/check';
import { FedPGError } from '../core/errors';
import type { FederatedProblem } from '../mdp/problem';
import type { Figure } from '../plot/figure';
import { algorithmName } from '../plot/notation';
import { convergenceFigure } from '../plot/series';
import { settingsLabel } from '../plot/settings';

/**
 * A run config for `compareAlgorithms`: a `RunConfig` whose `seed` may be left out (the comparison runs
 * every config with each of its own seeds, replacing a config's seed).
 */
export type CompareConfig = { [K in keyof RunConfig as K extends 'seed' ? never : K]: RunConfig[K] } & { seed?: RunConfig['seed'] };

/** Options of `compareAlgorithms`. */
export interface CompareOptions {
  /** T: rounds per run. */
  rounds: number;
  /** Run seeds: a count n (seeds 0 … n−1) or a list (default 1 seed, 0). The configs' own seeds, if any, are replaced. */
  seeds?: number | readonly (number | string)[];
  /** Record every `every` rounds (and always the last; default: about 100 points per run). */
  every?: number;
  /** The metric compared (default 'gap'). */
  y?: 'gap' | 'J' | 'gradNorm';
  /** Called after every run (progress). */
  onRun?: (done: number, total: number) => void;
}

/** What `compareAlgorithms` returns. */
export interface Comparison {
  /** One row per (config, seed, recorded round): label (the legend's name), algorithm, seed, round, J, gap, gradNorm, envSteps, messages. */
  rows: Row[];
  /** The same rows as a Danfo DataFrame (built on first use). */
  readonly frame: ResultFrame;
  /** Mean over seeds with its 95% CI per (label, round): `gap_mean`, `gap_lo`, `gap_hi` (geometric for gap and ‖∇J‖). */
  summary: Row[];
  /** The summary at the last round, one row per config (a table to show). */
  final: Row[];
  /** The metric against the round, one line per config with its CI band across seeds; the statistic is named on it once (`figure.meta.statistic`). */
  figure: Figure;
}

const num = (v: number) => String(Number(v.toPrecision(4)));

/**
 * Legend names of the configs, read from their resolved values (so a config that spells out a default is
 * labelled as one that omits it): the algorithm's display name (`Fast-FedPG`; a plug-in's own name), with
 * H, η and the oracle when several configs share the algorithm, numbered when still equal.
 */
function labels(configs: readonly ResolvedConfig[]): string[] {
  const detailed = configs.map((c) => {
    const name = algorithmName(c.algorithm);
    if (configs.filter((d) => d.algorithm === c.algorithm).length === 1) return name;
    const eta = c.stepSize.kind === 'constant' ? `η = ${num(c.stepSize.eta)}` : `η ${c.stepSize.kind}`;
    return `${name}, H = ${c.localSteps}, ${eta}, ${c.oracle.kind === 'exact' ? 'exact' : `M = ${c.oracle.batch}`}`;
  });
  return detailed.map((d, i) => (detailed.filter((e) => e === d).length > 1 ? `${d} #${detailed.slice(0, i + 1).filter((e) => e === d).length}` : d));
}

/** The metric's symbol, as the title and the y axis print it. */
const METRIC_TITLES = { gap: 'J* − J(θ̄ᵗ)', J: 'J(θ̄ᵗ)', gradNorm: '‖∇J(θ̄ᵗ)‖' } as const;

/**
 * Compare algorithms (or settings of one) on a problem in one call: every config runs `rounds` rounds for
 * every seed, and the result holds the rows (and a Danfo frame of them), the mean over seeds with 95% CIs,
 * the final values as a table, and a figure of the metric against the round with a CI band per config.
 * `configs` is a list of run configs (legend: the algorithm's name) or an object of named configs (legend:
 * the names); a config's `seed` may be left out (the seeds of `options` are used). Same problem, configs
 * and seeds ⇒ the same numbers as `createRun` with those seeds. The figure's title names the metric, and
 * its statistic line (from `summarizeSeeds`: "geometric mean over 4 seeds, 95% log-space t-interval" for
 * the gap and ‖∇J‖, an arithmetic mean for J) says what the lines and bands are.
 *
 * ```ts
 * const cmp = compareAlgorithms(problem, [{ ...base, algorithm: 'fast-fedpg' }, { ...base, algorithm: 'fedavg-pg' }], { rounds: 200, seeds: 4 });
 * showTable(cmp.final); await show(cmp.figure);
 * ```
 */
export function compareAlgorithms(problem: FederatedProblem, configs: readonly CompareConfig[] | Record<string, CompareConfig>, options: CompareOptions): Comparison {
  checkKnownKeys('', (options ?? {}) as unknown as Record<string, unknown>, ['rounds', 'seeds', 'every', 'y', 'onRun'], 'compareAlgorithms options');
  const list = (Array.isArray(configs) ? configs : Object.values(configs as Record<string, CompareConfig>)) as readonly RunConfig[];
  if (list.length === 0) throw new FedPGError('compareAlgorithms: configs is empty (give one or more run configs)');
  // Each config resolved once (seed 0 stands for the seeds, which do not change a label or a shared setting).
  const resolved = list.map((c) => resolveConfig(problem, { ...c, seed: c.seed ?? 0 }));
  const names = Array.isArray(configs) ? labels(resolved) : Object.keys(configs as Record<string, CompareConfig>);
  const rounds = checkInteger('rounds', options.rounds, 1);
  const seedsOption = options.seeds ?? 1;
  const seeds = typeof seedsOption === 'number' ? Array.from({ length: checkInteger('seeds', seedsOption, 1) }, (_, i) => i) : [...seedsOption];
  if (seeds.length === 0) throw new FedPGError('compareAlgorithms: seeds is empty');
  const every = checkInteger('every', options.every ?? Math.max(1, Math.round(rounds / 100)), 1);
  const y = options.y ?? 'gap';
  const rows: Row[] = [];
  let done = 0;
  list.forEach((config, i) => {
    for (const seed of seeds) {
      const run = createRun(problem, { ...config, seed });
      for (let t = 1; t <= rounds; t++) run.step({ record: t % every === 0 || t === rounds });
      for (const h of run.history) rows.push({ label: names[i], algorithm: h.algorithm, seed, round: h.round, J: h.J, gap: h.gap, gradNorm: h.gradNorm, envSteps: h.envSteps, messages: h.messages });
      options.onRun?.(++done, list.length * seeds.length);
    }
  });
  const log = y === 'gap' || y === 'gradNorm';
  const summary = summarizeSeeds(rows, { values: [y], by: ['label', 'round'], log });
  // The table's columns name the statistic the figure draws: "gap (geometric mean)", "95% CI low", ….
  const centre = log ? 'geometric mean' : 'mean';
  const final = summary.filter((r) => r.round === rounds).map((r) => ({ config: r.label, seeds: r.n, [`${y} (${centre})`]: r[`${y}_mean`], '95% CI low': r[`${y}_lo`], '95% CI high': r[`${y}_hi`] }) as Row);
  const first = resolved[0];
  const shared = resolved.every((c) => c.localSteps === first.localSteps && JSON.stringify(c.stepSize) === JSON.stringify(first.stepSize) && JSON.stringify(c.oracle) === JSON.stringify(first.oracle) && c.entropy === first.entropy);
  // The seeds are named by the statistic line ("geometric mean over 4 seeds, …"), not again here.
  const subtitle = shared ? settingsLabel(problem, { ...list[0], seed: undefined }) : settingsLabel(problem);
  const figure = convergenceFigure(summary, {
    x: 'round',
    y,
    series: ['label'],
    label: (key) => String(key.label),
    logY: log,
    title: y === 'gap' ? `Gap ${METRIC_TITLES.gap}` : METRIC_TITLES[y],
    subtitle,
    xTitle: 'round t',
    yTitle: METRIC_TITLES[y],
  });
  let frame: ResultFrame | null = null;
  return {
    rows,
    get frame() {
      frame ??= toFrame(rows);
      return frame;
    },
    summary,
    final,
    figure,
  };
}
