import { parameterDimension } from '../policy/softmax';
import { norm2 } from '../core/linalg';
import { checkVector } from '../core/check';
import { gradientFromEvaluation } from '../estimators/exact';
import { factorFits, factorGradient, type PolicyFactor, preparePolicyFactor } from '../estimators/exactOracle';
import { federatedObjective } from '../estimators/federated';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { optimalValue } from '../mdp/optimal';
import type { FederatedProblem } from '../mdp/problem';
import { agentMDP, averageMDP } from '../mdp/views';
import { featureLogits, pullBack } from '../policy/logLinear';
import type { PolicyClass } from '../policy/policyClass';

/**
 * How metrics see a policy class: θ → the logits the tabular machinery evaluates (θ itself for the tabular
 * softmax), and a gradient over the logits → ∇_θ (the identity for tabular). J* stays the tabular optimum
 * of the averaged MDP, the best any policy reaches: with features that cannot represent it the gap includes
 * the approximation error of the class.
 */
interface LogitView {
  logits(theta: Float64Array): Float64Array;
  pull(g: Float64Array): Float64Array;
}

function logitView(problem: FederatedProblem, policy: PolicyClass<number> | undefined): LogitView {
  const features = policy?.features ?? null;
  if (!features) return { logits: (theta) => theta, pull: (g) => g };
  return {
    logits: (theta) => featureLogits(features, checkVector('theta', theta, features.dimension), problem.S),
    pull: (g) => pullBack(features, g, problem.S),
  };
}

/** Exact-evaluation metrics of a state (the regularised objective when τ > 0). */
export interface RoundMetrics {
  /** J(θ̄) = (1/N) Σ_i J_i(θ̄): the averaged MDP's J with a shared P, the mean of the agents' J_i with per-agent P_i. */
  J: number;
  /** J* − J(θ̄) ≥ 0; NaN with per-agent P_i (no J* from value iteration: see optimumReference). */
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
  /** J* of the averaged MDP; NaN with per-agent transitions. */
  readonly Jstar: number;
  readonly agentJstar: Float64Array | null;
  /**
   * Metrics at θ̄ (and, for personalised algorithms, each agent's own θ_i); with `agents` false the per-agent
   * J_i (and the personal gaps) are NaN, saving N evaluations.
   */
  evaluate(thetaBar: Float64Array, agentTheta: readonly Float64Array[] | null, agents?: boolean): RoundMetrics;
}

/**
 * Build the evaluator; `personal` (local-pg) also solves every agent's own MDP. With shared P, a `factor`
 * that fits the problem (the run's, oracle.ts's createRunFactor) serves every evaluation: θ̄ is factored
 * once for J, ∇J and all J_i(θ̄), and when the oracles hold the same factor, once for them too.
 */
export function createMetrics(problem: FederatedProblem, entropy: number, personal: boolean, factor?: PolicyFactor | null, policy?: PolicyClass<number>): MetricsEvaluator {
  const view = logitView(problem, policy);
  if (problem.agentTransitions) return perAgentMetrics(problem, entropy, personal, view);
  const avg = averageMDP(problem);
  return factor && factorFits(factor, avg) ? factoredMetrics(problem, entropy, personal, factor, view) : sharedMetrics(problem, entropy, personal, view);
}

/** Shared P: everything from the averaged MDP, J* by policy iteration. */
function sharedMetrics(problem: FederatedProblem, entropy: number, personal: boolean, view: LogitView): MetricsEvaluator {
  const avg = averageMDP(problem);
  const agents = problem.rewards.map((_, i) => agentMDP(problem, i));
  const Jstar = optimalValue(avg, { entropy }).J;
  const agentJstar = personal ? Float64Array.from(agents, (m) => optimalValue(m, { entropy }).J) : null;
  return {
    Jstar,
    agentJstar,
    evaluate(thetaBar, agentTheta, perAgent = true) {
      const logits = view.logits(thetaBar);
      const ev = evaluatePolicy(avg, logits, { entropy });
      const grad = view.pull(gradientFromEvaluation(ev, problem.A, problem.gamma));
      const own = personal && agentTheta ? agentTheta : null;
      const agentJ = perAgent ? Float64Array.from(agents, (m, i) => evaluatePolicy(m, own ? view.logits(own[i]) : logits, { entropy }).J) : new Float64Array(agents.length).fill(NaN);
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

/**
 * sharedMetrics from a factor (estimators/exactOracle.ts): the same numbers to the bit (factorGradient
 * has evaluatePolicy's arithmetic; θ is checked as evaluatePolicy checks it), one LU of I − γP_π per
 * distinct θ instead of one per evaluation.
 */
function factoredMetrics(problem: FederatedProblem, entropy: number, personal: boolean, factor: PolicyFactor, view: LogitView): MetricsEvaluator {
  const avg = averageMDP(problem);
  const agents = problem.rewards.map((_, i) => agentMDP(problem, i));
  const Jstar = optimalValue(avg, { entropy }).J;
  const agentJstar = personal ? Float64Array.from(agents, (m) => optimalValue(m, { entropy }).J) : null;
  const size = parameterDimension(problem);
  const at = (theta: Float64Array) => preparePolicyFactor(factor, checkVector('theta', view.logits(theta), size));
  return {
    Jstar,
    agentJstar,
    evaluate(thetaBar, agentTheta, perAgent = true) {
      at(thetaBar);
      const logitGrad = new Float64Array(size);
      const J = factorGradient(factor, avg, entropy, logitGrad);
      const grad = view.pull(logitGrad);
      const own = personal && agentTheta ? agentTheta : null;
      const agentJ = new Float64Array(agents.length).fill(NaN);
      if (perAgent) {
        for (let i = 0; i < agents.length; i++) {
          if (own) at(own[i]);
          agentJ[i] = factorGradient(factor, agents[i], entropy, null);
        }
      }
      return {
        J,
        gap: Jstar - J,
        gradNorm: norm2(grad),
        agentJ,
        agentGap: agentJstar ? agentJstar.map((js, i) => js - agentJ[i]) : null,
      };
    },
  };
}

/**
 * Per-agent P_i: J and ∇J are the means over agents of J_i and ∇J_i (N exact evaluations, which also give
 * every J_i). The best common policy is not an MDP optimum, so J* and the gap are NaN (analysis/
 * optimumReference.ts gives a reference by gradient ascent on the union MDP); ‖∇J‖, which Theorem 2
 * bounds, is exact. Personal gaps (local-pg) use each agent's own optimum on (P_i, R_i).
 */
function perAgentMetrics(problem: FederatedProblem, entropy: number, personal: boolean, view: LogitView): MetricsEvaluator {
  const agents = problem.rewards.map((_, i) => agentMDP(problem, i));
  const agentJstar = personal ? Float64Array.from(agents, (m) => optimalValue(m, { entropy }).J) : null;
  return {
    Jstar: NaN,
    agentJstar,
    evaluate(thetaBar, agentTheta) {
      const objective = federatedObjective(problem, view.logits(thetaBar), { entropy });
      const own = personal && agentTheta ? agentTheta : null;
      const agentJ = own ? Float64Array.from(agents, (m, i) => evaluatePolicy(m, view.logits(own[i]), { entropy }).J) : objective.agentJ;
      return {
        J: objective.J,
        gap: NaN,
        gradNorm: norm2(view.pull(objective.grad)),
        agentJ,
        agentGap: agentJstar ? agentJstar.map((js, i) => js - agentJ[i]) : null,
      };
    },
  };
}
