/**
 * What one round leaves behind. `detail` decides how much: 'summary' keeps O(N) numbers, 'agents' adds
 * per-agent vectors (θ̄ before/after, anchors, θ_{i,H}, corrections, drift per local step), 'full' adds
 * every local gradient estimate. Metrics are NaN when the run's `metrics` option is off.
 */
export interface RoundTrace {
  /** Rounds completed after this one (1 for the first round); metrics are at θ̄ after it. */
  round: number;
  /** The algorithm's name. */
  algorithm: string;
  /** η used in this round. */
  stepSize: number;
  J: number;
  gap: number;
  gradNorm: number;
  /** Cumulative environment steps, vectors communicated and synchronisations. */
  envSteps: number;
  messages: number;
  syncs: number;
  agents: AgentSummary[];
  /** 'agents' and 'full' only. */
  thetaBefore?: Float64Array;
  thetaAfter?: Float64Array;
  /** c_i (fast-fedpg); 'agents' and 'full'. */
  anchors?: Float64Array[];
  /** c̄ (fast-fedpg) or the server control variate c (scaffold). */
  anchorMean?: Float64Array;
  thetaLocal?: Float64Array[];
  corrections?: (Float64Array | null)[];
  /** drift[i][ℓ] = ‖θ_{i,ℓ+1} − θ_{i,0}‖. */
  driftPerStep?: Float64Array[];
  /** Clustered algorithms (ifca): the model index each agent used in this round, at every detail level. */
  assignment?: number[];
  /** gradients[i][ℓ] = ĝ_i(θ_{i,ℓ}); 'full' only. */
  gradients?: Float64Array[][];
}

/** Per-agent numbers kept at every detail level. */
export interface AgentSummary {
  agent: number;
  /** J_i(θ̄) (local-pg: J_i(θ_i)). */
  J: number;
  /** local-pg: J_i* − J_i(θ_i); otherwise NaN. */
  gap: number;
  /** ‖θ_{i,H} − θ_{i,0}‖. */
  drift: number;
  /** ‖c_i‖ (fast-fedpg), NaN otherwise. */
  anchorNorm: number;
}

/** One row of a run's history (a summary trace, also the initial state as round 0). */
export type HistoryRow = Pick<RoundTrace, 'round' | 'algorithm' | 'stepSize' | 'J' | 'gap' | 'gradNorm' | 'envSteps' | 'messages' | 'syncs' | 'agents'>;
