import { norm2 } from '../core/linalg';
import { gradientFromEvaluation } from '../estimators/exact';
import { evaluatePolicy } from '../mdp/evaluate';
import { optimalValue } from '../mdp/optimal';
import type { FederatedProblem } from '../mdp/problem';
import { agentMDP, averageMDP } from '../mdp/views';

/** Exact-evaluation metrics of a state (the regularised objective when τ > 0). */
export interface RoundMetrics {
  /** J(θ̄) of the averaged MDP, = (1/N) Σ_i J_i(θ̄). */
  J: number;
  /** J* − J(θ̄) ≥ 0. */
  gap: number;
  /** ‖∇J(θ̄)‖₂. */
  gradNorm: number;
  /** J_i(θ̄); for local-pg J_i(θ_i), each agent at its own parameters. */
  agentJ: Float64Array;
  /** local-pg only: J_i* − J_i(θ_i), each agent's gap on its own task. */
  agentGap: Float64Array | null;
}

/** Evaluator of RoundMetrics for one problem and τ; computes J* (and each J_i* for local-pg) once. */
export interface MetricsEvaluator {
  readonly Jstar: number;
  readonly agentJstar: Float64Array | null;
  /**
   * Metrics at θ̄ (and, for personalised algorithms, each agent's own θ_i); with `agents` false the per-agent
   * J_i (and the personal gaps) are NaN, saving N evaluations.
   */
  evaluate(thetaBar: Float64Array, agentTheta: readonly Float64Array[] | null, agents?: boolean): RoundMetrics;
}

/** Build the evaluator; `personal` (local-pg) also solves every agent's own MDP. */
export function createMetrics(problem: FederatedProblem, entropy: number, personal: boolean): MetricsEvaluator {
  const avg = averageMDP(problem);
  const agents = problem.rewards.map((_, i) => agentMDP(problem, i));
  const Jstar = optimalValue(avg, { entropy }).J;
  const agentJstar = personal ? Float64Array.from(agents, (m) => optimalValue(m, { entropy }).J) : null;
  return {
    Jstar,
    agentJstar,
    evaluate(thetaBar, agentTheta, perAgent = true) {
      const ev = evaluatePolicy(avg, thetaBar, { entropy });
      const grad = gradientFromEvaluation(ev, problem.A, problem.gamma);
      const own = personal && agentTheta ? agentTheta : null;
      const agentJ = perAgent ? Float64Array.from(agents, (m, i) => evaluatePolicy(m, own ? own[i] : thetaBar, { entropy }).J) : new Float64Array(agents.length).fill(NaN);
      return {
        J: ev.J,
        gap: Jstar - ev.J,
        gradNorm: norm2(grad),
        agentJ,
        agentGap: agentJstar ? agentJstar.map((js, i) => js - agentJ[i]) : null,
      };
    },
  };
}
