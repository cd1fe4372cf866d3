import type { RoundTrace } from '../runs/trace';
import type { Row } from '../analysis/frame';
import { FedPGError } from '../core/errors';
import type { FederatedProblem } from '../mdp/problem';
import { tableHTML, type TableOptions } from './table';
import { tslabDisplay } from './tslab';

/**
 * One S·A vector (a gradient, an anchor cᵢ, a correction c̄ − cᵢ, θ) as an S × A table: one row per state
 * s with a `state` column and one column per action holding `v[s*A + a]`; state and action names from the
 * problem when it has them (else s0, s1, … and a0, a1, …).
 */
export function stateActionTable(vector: ArrayLike<number>, problem: Pick<FederatedProblem, 'S' | 'A' | 'stateNames' | 'actionNames'>): Row[] {
  const { S, A } = problem;
  if (vector.length !== S * A) throw new FedPGError(`vector has length ${vector.length}, expected S·A = ${S}·${A} = ${S * A}`);
  const actions = problem.actionNames ?? Array.from({ length: A }, (_, a) => `a${a}`);
  const states = problem.stateNames ?? Array.from({ length: S }, (_, s) => `s${s}`);
  return states.map((state, s) => {
    const row: Row = { state };
    actions.forEach((a, k) => (row[a] = vector[s * A + k]));
    return row;
  });
}

/** Which per-agent vectors of a round trace to tabulate. */
export type AgentVectors = 'anchors' | 'corrections' | 'thetaLocal' | { gradients: number };

/** A labelled S × A table per agent. */
export interface AgentTable {
  agent: string;
  /** What the table holds, e.g. "anchor c_i" or "gradient ĝ_i at local step 3". */
  what: string;
  rows: Row[];
}

/**
 * The per-agent vectors of a round trace as labelled S × A tables: 'anchors' (cᵢ = ĝᵢ(θ̄), Fast-FedPG),
 * 'corrections' (c̄ − cᵢ), 'thetaLocal' (θᵢ,H) or `{ gradients: ℓ }` (the local estimate ĝᵢ(θᵢ,ℓ) of local
 * step ℓ = 0 … H−1, kept at detail 'full'). The trace must have been recorded at a detail that keeps them.
 */
export function agentTables(trace: RoundTrace, problem: FederatedProblem, which: AgentVectors): AgentTable[] {
  const name = (i: number) => problem.agentNames[i] ?? `agent ${i}`;
  let vectors: (ArrayLike<number> | null)[] | undefined;
  let what: string;
  if (typeof which === 'object') {
    const step = which.gradients;
    if (!trace.gradients) throw new FedPGError("trace.gradients is missing: run with detail: 'full' to keep every local gradient");
    const H = trace.gradients[0]?.length ?? 0;
    if (!Number.isInteger(step) || step < 0 || step >= H) throw new FedPGError(`gradients step is ${step}, must be an integer in 0 … ${H - 1} (H = ${H})`);
    vectors = trace.gradients.map((g) => g[step]);
    what = `local gradient ĝ_i(θ_i,${step})`;
  } else {
    vectors = trace[which] as (ArrayLike<number> | null)[] | undefined;
    what = { anchors: 'anchor c_i = ĝ_i(θ̄)', corrections: 'correction c̄ − c_i', thetaLocal: 'local iterate θ_i,H' }[which];
    if (!vectors) throw new FedPGError(`trace.${which} is missing: ${which === 'thetaLocal' ? '' : 'a Fast-FedPG or SCAFFOLD run, '}detail 'agents' or 'full' keeps it`);
  }
  return vectors.map((v, i) => {
    if (!v) throw new FedPGError(`trace.${typeof which === 'object' ? 'gradients' : which}[${i}] is empty for this algorithm`);
    return { agent: name(i), what, rows: stateActionTable(v, problem) };
  });
}

/** Show per-agent S × A tables side by side, each captioned with its agent and what it holds. */
export function showAgentTables(tables: readonly AgentTable[], options: Omit<TableOptions, 'caption'> & { caption?: string } = {}): void {
  const tslab = tslabDisplay();
  if (!tslab) {
    for (const t of tables) {
      console.log(`${t.agent}: ${t.what}`);
      console.table(t.rows);
    }
    return;
  }
  const cells = tables.map((t) => `<div style="display:inline-block;vertical-align:top;margin:0 1.5em 1em 0">${tableHTML(t.rows, { ...options, caption: `${t.agent}: ${t.what}` })}</div>`).join('');
  const caption = options.caption ? `<p>${options.caption.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>` : '';
  tslab.display.html(`${caption}<div>${cells}</div>`);
}
