import { checkInteger } from '../core/check';
import { ValidationError } from '../core/errors';
import type { FederatedProblem, TabularMDP } from './problem';

/** R̄ = (1/N) Σ_i R_i, entry by entry. */
export function averageReward(problem: FederatedProblem): Float64Array {
  const N = problem.rewards.length;
  const out = new Float64Array(problem.S * problem.A);
  for (const R of problem.rewards) for (let k = 0; k < out.length; k++) out[k] += R[k];
  for (let k = 0; k < out.length; k++) out[k] /= N;
  return out;
}

/** The refusal of every view that needs one shared P, pointing to the union and virtual MDPs. */
function refusePerAgent(problem: FederatedProblem, what: string): never {
  throw new ValidationError(
    'problem.agentTransitions',
    problem.name,
    `${what}: problem "${problem.name}" has per-agent transitions P_i, so no single MDP with the averaged reward ` +
      'has J = (1/N) Σ_i J_i. Use unionMDP(problem) (states (i, s), the policy tied across agents: its J and ∇J are ' +
      'the federated objective and its gradient exactly; federatedObjective(problem, θ) evaluates them) or ' +
      'virtualMDP(problem) (P̄ = mean P_i, R̄: an approximation within the simulation-lemma bound ' +
      'virtualMDPBound(problem); docs/heterogeneous-transitions.md)',
  );
}

/** An MDP that shares the problem's P, γ, ρ with the given reward table (shared-P problems only). */
export function withReward(problem: FederatedProblem, reward: Float64Array, name: string): TabularMDP {
  if (problem.agentTransitions) refusePerAgent(problem, 'withReward');
  const { S, A, gamma, rho, transitions, rhoCut, rhoOther, coordinates } = problem;
  return { name, S, A, gamma, rho, transitions, reward, rhoCut, rhoOther, ...(coordinates ? { coordinates } : {}) };
}

/**
 * The averaged MDP M̄ = (S, A, R̄, P, γ, ρ). Since J is linear in R when P, γ, ρ are shared,
 * J̄ = (1/N) Σ_i J_i and ∇J̄ = (1/N) Σ_i ∇J_i (docs/paper.md, helper lemma): J* and θ* of the federated
 * problem are those of this MDP. It exists only when P is shared: with per-agent P_i it throws a
 * ValidationError pointing to unionMDP (exact) and virtualMDP (approximate).
 */
export function averageMDP(problem: FederatedProblem): TabularMDP {
  if (problem.agentTransitions) refusePerAgent(problem, 'averageMDP');
  return withReward(problem, averageReward(problem), `${problem.name}/average`);
}

/** Agent i's MDP M_i = (S, A, R_i, P_i, γ, ρ), with P_i = P when the transitions are shared. */
export function agentMDP(problem: FederatedProblem, i: number): TabularMDP {
  checkInteger('agent', i, 0, problem.rewards.length - 1);
  const name = `${problem.name}/${problem.agentNames[i]}`;
  if (!problem.agentTransitions) return withReward(problem, problem.rewards[i], name);
  const { S, A, gamma, rho, rhoCut, rhoOther, coordinates } = problem;
  return { name, S, A, gamma, rho, transitions: problem.agentTransitions[i], reward: problem.rewards[i], rhoCut, rhoOther, ...(coordinates ? { coordinates } : {}) };
}
