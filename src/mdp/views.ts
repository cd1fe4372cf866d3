import { checkInteger } from '../core/check';
import type { FederatedProblem, TabularMDP } from './problem';

/** R̄ = (1/N) Σ_i R_i, entry by entry. */
export function averageReward(problem: FederatedProblem): Float64Array {
  const N = problem.rewards.length;
  const out = new Float64Array(problem.S * problem.A);
  for (const R of problem.rewards) for (let k = 0; k < out.length; k++) out[k] += R[k];
  for (let k = 0; k < out.length; k++) out[k] /= N;
  return out;
}

/** An MDP that shares the problem's P, γ, ρ with the given reward table. */
export function withReward(problem: FederatedProblem, reward: Float64Array, name: string): TabularMDP {
  const { S, A, gamma, rho, transitions, rhoCut, rhoOther } = problem;
  return { name, S, A, gamma, rho, transitions, reward, rhoCut, rhoOther };
}

/**
 * The averaged MDP M̄ = (S, A, R̄, P, γ, ρ). Since J is linear in R when P, γ, ρ are shared,
 * J̄ = (1/N) Σ_i J_i and ∇J̄ = (1/N) Σ_i ∇J_i (docs/paper.md, helper lemma): J* and θ* of the federated
 * problem are those of this MDP.
 */
export function averageMDP(problem: FederatedProblem): TabularMDP {
  return withReward(problem, averageReward(problem), `${problem.name}/average`);
}

/** Agent i's MDP M_i = (S, A, R_i, P, γ, ρ). */
export function agentMDP(problem: FederatedProblem, i: number): TabularMDP {
  checkInteger('agent', i, 0, problem.rewards.length - 1);
  return withReward(problem, problem.rewards[i], `${problem.name}/${problem.agentNames[i]}`);
}
