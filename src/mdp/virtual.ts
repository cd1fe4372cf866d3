import { checkNonNegative } from '../core/check';
import type { FederatedProblem, TabularMDP } from './problem';
import { type SparseRow, type Transitions, transitionsFromRows } from './transitions';
import { averageMDP, averageReward } from './views';

/** The N kernels of a problem: P_i, or the shared P N times. */
function kernels(problem: FederatedProblem): readonly Transitions[] {
  return problem.agentTransitions ?? problem.rewards.map(() => problem.transitions);
}

/** P̄(·|s,a) = (1/N) Σ_i P_i(·|s,a), as sparse rows over the union of the supports. */
export function averageTransitions(problem: FederatedProblem): Transitions {
  const { S, A } = problem;
  const Ps = kernels(problem);
  const N = Ps.length;
  const dense = new Float64Array(S);
  const rows: SparseRow[] = [];
  for (let r = 0; r < S * A; r++) {
    for (const P of Ps) for (let k = P.rowStart[r]; k < P.rowStart[r + 1]; k++) dense[P.next[k]] += P.prob[k] / N;
    const next: number[] = [];
    const prob: number[] = [];
    for (let s = 0; s < S; s++) {
      if (dense[s] > 0) {
        next.push(s);
        prob.push(dense[s]);
      }
      dense[s] = 0;
    }
    rows.push({ next, prob });
  }
  return transitionsFromRows(S, A, rows, 'averageTransitions');
}

/**
 * The virtual MDP (S, A, R̄, P̄, γ, ρ) with P̄ = (1/N) Σ_i P_i and R̄ = (1/N) Σ_i R_i. With a shared P it is
 * the averaged MDP (same object layout, same numbers). With per-agent P_i its J̄ is only an approximation of
 * the federated objective J = (1/N) Σ_i J_i, within `virtualMDPBound` (docs/heterogeneous-transitions.md);
 * unionMDP gives J exactly.
 */
export function virtualMDP(problem: FederatedProblem): TabularMDP {
  if (!problem.agentTransitions) return averageMDP(problem);
  const { S, A, gamma, rho, rhoCut, rhoOther } = problem;
  return { name: `${problem.name}/virtual`, S, A, gamma, rho, transitions: averageTransitions(problem), reward: averageReward(problem), rhoCut, rhoOther };
}

/** ε_i = max_{s,a} ‖P_i(·|s,a) − P̄(·|s,a)‖₁, one per agent (all 0 with a shared P). */
export function transitionDeviations(problem: FederatedProblem): Float64Array {
  const { S, A } = problem;
  const Ps = kernels(problem);
  const N = Ps.length;
  const out = new Float64Array(N);
  if (!problem.agentTransitions) return out;
  const mean = new Float64Array(S);
  const own = new Float64Array(S);
  for (let r = 0; r < S * A; r++) {
    mean.fill(0);
    for (const P of Ps) for (let k = P.rowStart[r]; k < P.rowStart[r + 1]; k++) mean[P.next[k]] += P.prob[k] / N;
    Ps.forEach((P, i) => {
      own.fill(0);
      for (let k = P.rowStart[r]; k < P.rowStart[r + 1]; k++) own[P.next[k]] += P.prob[k];
      let l1 = 0;
      for (let s = 0; s < S; s++) l1 += Math.abs(own[s] - mean[s]);
      out[i] = Math.max(out[i], l1);
    });
  }
  return out;
}

/** The simulation-lemma bound on |J(π) − J̄(π)| and its ingredients. */
export interface VirtualMDPBound {
  /** γ / (2(1−γ)²) · (1/N) Σ_i span_i ε_i: holds for every policy π. */
  bound: number;
  /** ε_i = max_{s,a} ‖P_i(·|s,a) − P̄(·|s,a)‖₁. */
  deviations: Float64Array;
  /** span_i = max R_i − min R_i + τ log A, the range of agent i's (regularised) one-step reward. */
  spans: Float64Array;
}

/**
 * Simulation-lemma bound for the virtual MDP (derived in docs/heterogeneous-transitions.md): for every
 * policy π,
 *   |J(π) − J̄(π)| ≤ γ / (2(1−γ)²) · (1/N) Σ_i span_i ε_i  ≤  γ R_span / (2(1−γ)²) · (1/N) Σ_i ε_i,
 * with J = (1/N) Σ_i J_i (agent i on P_i, R_i), J̄ the virtual MDP's objective, span_i = max R_i − min R_i
 * (+ τ log A with entropy τ) and R_span = max_i span_i. The constant ½ needs the reward *range*: with
 * R_max = max|R| and rewards of both signs the range can be 2 R_max, and the bound is γ R_max ε / (1−γ)².
 */
export function virtualMDPBound(problem: FederatedProblem, options: { entropy?: number } = {}): VirtualMDPBound {
  const tau = checkNonNegative('entropy', options.entropy ?? 0);
  const { gamma, A } = problem;
  const deviations = transitionDeviations(problem);
  const spans = Float64Array.from(problem.rewards, (R) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < R.length; k++) {
      lo = Math.min(lo, R[k]);
      hi = Math.max(hi, R[k]);
    }
    return hi - lo + tau * Math.log(A);
  });
  let sum = 0;
  for (let i = 0; i < spans.length; i++) sum += spans[i] * deviations[i];
  return { bound: (gamma / (2 * (1 - gamma) ** 2)) * (sum / spans.length), deviations, spans };
}
