import { checkKnownKeys } from '../core/schema';
import type { Run } from '../runs/run';
import type { HistoryRow } from '../runs/trace';
import { type Frame, type Row, toRows } from '../analysis/frame';
import { AXES_OPTION_KEYS, type AxesOptions, type Figure } from './figure';
import { algorithmName } from './notation';
import { seriesFigure } from './series';
import { settingsLabel } from './settings';

/** Options of `historyFigure`. */
export interface HistoryFigureOptions extends AxesOptions {
  /** The history column on the y axis (default 'gap'; also 'J', 'gradNorm', 'stepSize'). */
  y?: string;
  /** The x axis: 'round' (default), 'envSteps' (samples drawn) or 'messages' (vectors communicated). */
  x?: 'round' | 'envSteps' | 'messages';
  /** Legend names, one per run (default: the algorithm, numbered when two runs share it). */
  names?: readonly string[];
}

const TITLES: Record<string, string> = {
  gap: 'J* − J(θ̄ᵗ)',
  J: 'J(θ̄ᵗ)',
  gradNorm: '‖∇J(θ̄ᵗ)‖',
  stepSize: 'η',
  round: 'round t',
  envSteps: 'environment steps',
  messages: 'vectors communicated',
};

function isRun(x: unknown): x is Run {
  return x != null && typeof x === 'object' && 'history' in x && 'problem' in x && 'config' in x;
}

/**
 * The history of one run, or of several on shared axes, in one call: `historyFigure(run)` or
 * `historyFigure([fast, fedavg])` plots the gap J* − J(θ̄ᵗ) against the round on a log axis, one line per
 * run, with the settings (`settingsLabel(run.problem, run.config)`) as subtitle. A run's history may also be
 * given as its rows or its Danfo frame (`run.runFor(…).history`); then there is no subtitle unless given.
 */
export function historyFigure(runs: Run | Frame | readonly Run[], o: HistoryFigureOptions = {}): Figure {
  checkKnownKeys('', o as Record<string, unknown>, ['y', 'x', 'names', ...AXES_OPTION_KEYS], 'historyFigure options');
  const list: (Run | Frame)[] = Array.isArray(runs) && runs.length > 0 && isRun(runs[0]) ? [...(runs as readonly Run[])] : [runs as Run | Frame];
  const y = o.y ?? 'gap';
  const x = o.x ?? 'round';
  const histories = list.map((r) => (isRun(r) ? (r.history as readonly HistoryRow[]).map(({ agents: _agents, ...row }) => row as Row) : toRows(r)));
  const algorithms = histories.map((h) => String(h[0]?.algorithm ?? 'run'));
  const names = o.names ?? algorithms.map((a, i) => (algorithms.filter((b) => b === a).length > 1 ? `${algorithmName(a)} #${algorithms.slice(0, i + 1).filter((b) => b === a).length}` : algorithmName(a)));
  const rows = histories.flatMap((h, i) => h.map((r) => ({ ...r, run: names[i] })));
  const first = list[0];
  const label = isRun(first) ? settingsLabel(first.problem, first.config) : undefined;
  const sameSettings = list.every((r) => isRun(r) && settingsLabel(r.problem, r.config) === label);
  const subtitle = o.subtitle ?? (label && !sameSettings ? `${label} (first run's settings)` : label);
  return seriesFigure(rows, {
    label: (key) => String(key.run),
    logY: y === 'gap' || y === 'gradNorm',
    title: `${TITLES[y] ?? y} ${list.length === 1 ? `of ${names[0]}` : 'by run'}`,
    ...o,
    subtitle,
    x,
    y,
    series: ['run'],
    xTitle: o.xTitle ?? TITLES[x],
    yTitle: o.yTitle ?? TITLES[y] ?? y,
  });
}
