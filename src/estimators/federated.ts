import { checkVector } from '../core/check';
import { evaluatePolicy, exactPolicyClass, type PolicyEvaluationOptions } from '../policy/evaluatePolicy';
import { featureLogits, pullBack } from '../policy/logLinear';
import type { FederatedProblem } from '../mdp/problem';
import { tieTheta, unionMDP, untieGradient } from '../mdp/union';
import { agentMDP } from '../mdp/views';
import { gradientFromEvaluation } from './exact';

/** The federated objective at θ and its gradient, exactly. */
export interface FederatedObjective {
  /** J(θ) = (1/N) Σ_i J_i(θ). */
  J: number;
  /** ∇J(θ) = (1/N) Σ_i ∇J_i(θ). */
  grad: Float64Array;
  /** J_i(θ), agent i on its own P_i and R_i. */
  agentJ: Float64Array;
}

/**
 * J(θ) = (1/N) Σ_i J_i(θ) and ∇J(θ) = (1/N) Σ_i ∇J_i(θ) by evaluating every agent's MDP (P_i, R_i) exactly:
 * the objective the federated algorithms optimise, for shared or per-agent transitions, for the tabular
 * softmax or a log-linear class (`policy`; θ of its dimension d, the gradient in R^d: the agents' gradients
 * over the logits averaged, then pulled back once, Φᵀ being linear). Cost: N exact evaluations of an
 * S-state MDP. (With a shared P the averaged MDP gives the same in one evaluation.)
 */
export function federatedObjective(problem: FederatedProblem, theta: ArrayLike<number>, options: PolicyEvaluationOptions = {}): FederatedObjective {
  const { S, A, gamma } = problem;
  const { policy, rest } = exactPolicyClass(agentMDP(problem, 0), options);
  const features = policy?.features ?? null;
  const th = features ? featureLogits(features, checkVector('theta', theta, features.dimension), S) : checkVector('theta', theta, S * A);
  const N = problem.rewards.length;
  const grad = new Float64Array(S * A);
  const scratch = new Float64Array(S * A);
  const agentJ = new Float64Array(N);
  let J = 0;
  for (let i = 0; i < N; i++) {
    const ev = evaluatePolicy(agentMDP(problem, i), th, rest);
    gradientFromEvaluation(ev, A, gamma, scratch);
    for (let k = 0; k < S * A; k++) grad[k] += scratch[k] / N;
    agentJ[i] = ev.J;
    J += ev.J / N;
  }
  return { J, grad: features ? pullBack(features, grad, S) : grad, agentJ };
}

/**
 * The same objective and gradient from the union MDP (mdp/union.ts): one exact evaluation of the N·S-state
 * MDP at the tied logits, its gradient summed over the agents' blocks (and pulled back to θ for a log-linear
 * class). An independent route to `federatedObjective` (the tests check that they agree to round-off).
 */
export function unionObjective(problem: FederatedProblem, theta: ArrayLike<number>, options: PolicyEvaluationOptions = {}): { J: number; grad: Float64Array } {
  const { S, A, gamma } = problem;
  const N = problem.rewards.length;
  const { policy, rest } = exactPolicyClass(agentMDP(problem, 0), options);
  const features = policy?.features ?? null;
  const logits = features ? featureLogits(features, checkVector('theta', theta, features.dimension), S) : theta;
  const ev = evaluatePolicy(unionMDP(problem), tieTheta(logits, N, S, A), rest);
  const grad = untieGradient(gradientFromEvaluation(ev, A, gamma), N, S, A);
  return { J: ev.J, grad: features ? pullBack(features, grad, S) : grad };
}
