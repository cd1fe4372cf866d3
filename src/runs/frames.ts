import { danfo } from '../core/optional';
import type { ResultFrame } from '../core/resultFrame';
import type { HistoryRow } from './trace';

/** A run's history as Danfo DataFrames: one row per recorded round, and one per (round, agent). */
export interface RunFrames {
  /** Columns: round, algorithm, stepSize, J, gap, gradNorm, envSteps, messages, syncs. */
  history: ResultFrame;
  /** Columns: round, agent, J, gap, drift, anchorNorm (algorithms/trace.ts, AgentSummary). */
  agents: ResultFrame;
}


/** The history rows as a DataFrame with the columns of RunFrames.history. */
export function historyFrame(rows: readonly HistoryRow[]): ResultFrame {
  const cols = ['round', 'algorithm', 'stepSize', 'J', 'gap', 'gradNorm', 'envSteps', 'messages', 'syncs'] as const;
  const data: Record<string, (number | string)[]> = Object.fromEntries(cols.map((c) => [c, rows.map((r) => r[c])]));
  return new (danfo('historyFrame (a Danfo DataFrame)').DataFrame)(data) as ResultFrame;
}

/** One row per (recorded round, agent). */
export function agentsFrame(rows: readonly HistoryRow[]): ResultFrame {
  const data: Record<string, number[]> = { round: [], agent: [], J: [], gap: [], drift: [], anchorNorm: [] };
  for (const r of rows) {
    for (const a of r.agents) {
      data.round.push(r.round);
      data.agent.push(a.agent);
      data.J.push(a.J);
      data.gap.push(a.gap);
      data.drift.push(a.drift);
      data.anchorNorm.push(a.anchorNorm);
    }
  }
  return new (danfo('agentsFrame (a Danfo DataFrame)').DataFrame)(data) as ResultFrame;
}

/**
 * What `runFor` returns: the history frames are built on first access (loading danfojs-node then), so a run
 * needs Danfo only when its frames are read; the same numbers as plain rows are `run.history`.
 */
export function lazyRunFrames<T extends object>(history: readonly HistoryRow[], rest: T): RunFrames & T {
  const frames: { history?: ResultFrame; agents?: ResultFrame } = {};
  const out = { ...rest } as RunFrames & T;
  Object.defineProperty(out, 'history', { enumerable: true, get: () => (frames.history ??= historyFrame(history)) });
  Object.defineProperty(out, 'agents', { enumerable: true, get: () => (frames.agents ??= agentsFrame(history)) });
  return out;
}
