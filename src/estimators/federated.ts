import { checkVector } from '../core/check';
import type { EvaluationOptions } from '../mdp/evaluate';
import { evaluatePolicy } from '../policy/evaluatePolicy';
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
 * the objective the federated algorithms optimise, for shared or per-agent transitions. Cost: N exact
 * evaluations of an S-state MDP. (With a shared P the averaged MDP gives the same in one evaluation.)
 */
export function federatedObjective(problem: FederatedProblem, theta: ArrayLike<number>, options: EvaluationOptions = {}): FederatedObjective {
  const { S, A, gamma } = problem;
  const th = checkVector('theta', theta, S * A);
  const N = problem.rewards.length;
  const grad = new Float64Array(S * A);
  const scratch = new Float64Array(S * A);
  const agentJ = new Float64Array(N);
  let J = 0;
  for (let i = 0; i < N; i++) {
    const ev = evaluatePolicy(agentMDP(problem, i), th, options);
    gradientFromEvaluation(ev, A, gamma, scratch);
    for (let k = 0; k < S * A; k++) grad[k] += scratch[k] / N;
    agentJ[i] = ev.J;
    J += ev.J / N;
  }
  return { J, grad, agentJ };
}

/**
 * The same objective and gradient from the union MDP (mdp/union.ts): one exact evaluation of the N·S-state
 * MDP at the tied θ̃, its gradient summed over the agents' blocks. An independent route to
 * `federatedObjective` (the tests check that they agree to round-off).
 */
export function unionObjective(problem: FederatedProblem, theta: ArrayLike<number>, options: EvaluationOptions = {}): { J: number; grad: Float64Array } {
  const { S, A, gamma } = problem;
  const N = problem.rewards.length;
  const ev = evaluatePolicy(unionMDP(problem), tieTheta(theta, N, S, A), options);
  return { J: ev.J, grad: untieGradient(gradientFromEvaluation(ev, A, gamma), N, S, A) };
}
