import type { DataFrame } from 'danfojs-node';
import type { HistoryRow } from './trace';

/** A run's history as Danfo DataFrames: one row per recorded round, and one per (round, agent). */
export interface RunFrames {
  /** Columns: round, algorithm, stepSize, J, gap, gradNorm, envSteps, messages, syncs. */
  history: DataFrame;
  /** Columns: round, agent, J, gap, drift, anchorNorm (algorithms/trace.ts, AgentSummary). */
  agents: DataFrame;
}

// danfojs-node pulls in TensorFlow.js (≈ 2 s to load): required on first use only, so importing
// fedpg-lab stays fast for code that never builds a frame.
function danfo(): typeof import('danfojs-node') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('danfojs-node');
}

/** The history rows as a DataFrame with the columns of RunFrames.history. */
export function historyFrame(rows: readonly HistoryRow[]): DataFrame {
  const cols = ['round', 'algorithm', 'stepSize', 'J', 'gap', 'gradNorm', 'envSteps', 'messages', 'syncs'] as const;
  const data: Record<string, (number | string)[]> = Object.fromEntries(cols.map((c) => [c, rows.map((r) => r[c])]));
  return new (danfo().DataFrame)(data);
}

/** One row per (recorded round, agent). */
export function agentsFrame(rows: readonly HistoryRow[]): DataFrame {
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
  return new (danfo().DataFrame)(data);
}
