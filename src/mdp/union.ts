import { buildAlias } from '../core/alias';
import { checkVector } from '../core/check';
import type { FederatedProblem, TabularMDP } from './problem';
import type { Transitions } from './transitions';

/**
 * The union MDP of a federated problem: one MDP whose states are the pairs (i, s), numbered i·S + s, with
 *   ρ̃(i, s) = ρ(s)/N,   P̃((i, s') | (i, s), a) = P_i(s'|s, a),   R̃((i, s), a) = R_i(s, a),
 * so the agent index is drawn once at the start and never changes. With the policy tied across agents,
 * θ̃((i, s), a) = θ(s, a) (`tieTheta`), it is (1/N) Σ_i of each agent's MDP:
 *   J̃(θ̃) = Σ_i (1/N) ρᵀ V_i^π = (1/N) Σ_i J_i(θ)   and, by the chain rule through the tying,
 *   ∇_θ J(θ) = Σ_i ∇_{θ̃ block i} J̃(θ̃)   (`untieGradient`),
 * exactly, for shared or per-agent P and any τ ≥ 0 (the entropy term is per state as well).
 * It has N·S states and Σ_i nnz(P_i) stored transitions; the rows keep each P_i's alias tables (their
 * `aliasOther` is relative to the row start), so sampling from it costs O(1) too.
 */
export function unionMDP(problem: FederatedProblem): TabularMDP {
  const { S, A, gamma } = problem;
  const N = problem.rewards.length;
  const kernels: readonly Transitions[] = problem.agentTransitions ?? Array.from({ length: N }, () => problem.transitions);
  const nnz = kernels.reduce((acc, P) => acc + P.rowStart[S * A], 0);
  const rowStart = new Int32Array(N * S * A + 1);
  const next = new Int32Array(nnz);
  const prob = new Float64Array(nnz);
  const aliasCut = new Float64Array(nnz);
  const aliasOther = new Int32Array(nnz);
  let offset = 0;
  kernels.forEach((P, i) => {
    const size = P.rowStart[S * A];
    for (let r = 0; r < S * A; r++) rowStart[i * S * A + r + 1] = offset + P.rowStart[r + 1];
    for (let k = 0; k < size; k++) next[offset + k] = i * S + P.next[k];
    prob.set(P.prob.subarray(0, size), offset);
    aliasCut.set(P.aliasCut.subarray(0, size), offset);
    aliasOther.set(P.aliasOther.subarray(0, size), offset);
    offset += size;
  });
  const rho = new Float64Array(N * S);
  for (let i = 0; i < N; i++) for (let s = 0; s < S; s++) rho[i * S + s] = problem.rho[s] / N;
  const reward = new Float64Array(N * S * A);
  problem.rewards.forEach((R, i) => reward.set(R, i * S * A));
  const rhoCut = new Float64Array(N * S);
  const rhoOther = new Int32Array(N * S);
  buildAlias(rho, 0, N * S, rhoCut, rhoOther);
  const transitions: Transitions = { S: N * S, A, rowStart, next, prob, aliasCut, aliasOther };
  return { name: `${problem.name}/union`, S: N * S, A, gamma, rho, transitions, reward, rhoCut, rhoOther };
}

/** θ̃ of the union MDP: θ (length S·A) repeated for each of the N agents, θ̃[(i·S + s)·A + a] = θ[s·A + a]. */
export function tieTheta(theta: ArrayLike<number>, N: number, S: number, A: number): Float64Array {
  const th = checkVector('theta', theta, S * A);
  const out = new Float64Array(N * S * A);
  for (let i = 0; i < N; i++) out.set(th, i * S * A);
  return out;
}

/** The gradient with respect to the tied θ: the sum over agents of the N blocks of a union-MDP gradient. */
export function untieGradient(unionGrad: ArrayLike<number>, N: number, S: number, A: number): Float64Array {
  const g = checkVector('unionGrad', unionGrad, N * S * A);
  const out = new Float64Array(S * A);
  for (let i = 0; i < N; i++) for (let k = 0; k < S * A; k++) out[k] += g[i * S * A + k];
  return out;
}
