import { isPlainObject, checkKnownKeys } from '../core/schema';
import { checkNonNegative, checkOneOf, fail, formatValue } from '../core/check';
import { type Solver, solvePolicy } from './discountedSolve';
import type { TabularMDP } from './problem';

/** Options of exact evaluation. */
export interface EvaluationOptions {
  /** Entropy-regularisation weight τ ≥ 0 (0: the plain objective). */
  entropy?: number;
  /** Linear solver (mdp/discountedSolve.ts). */
  solver?: Solver;
}

/** Everything exact evaluation of a policy gives, all row-major S×A or length S. */
export interface PolicyEvaluation {
  /** π(a|s). */
  pi: Float64Array;
  /** log π(a|s) (finite even where π underflows). */
  logPi: Float64Array;
  /** V(s) (soft value when τ > 0). */
  V: Float64Array;
  /** Q(s,a) = R(s,a) + γ Σ_s' P(s'|s,a) V(s'). */
  Q: Float64Array;
  /** A(s,a) = Q(s,a) − τ log π(a|s) − V(s); with τ = 0 the usual Q − V. */
  advantage: Float64Array;
  /** d_ρ(s) = (1−γ) Σ_t γ^t Pr(s_t = s | s₀ ~ ρ, π). */
  occupancy: Float64Array;
  /** J = ρᵀ V. */
  J: number;
  /** τ used. */
  entropy: number;
}

/** Validate evaluation options (shared by every exact routine). */
export function checkEvaluationOptions(options: EvaluationOptions = {}, extra: readonly string[] = [], what = 'evaluation options'): { entropy: number; solver: Solver } {
  if (options !== undefined && !isPlainObject(options)) fail(what, options, `must be an object, got ${formatValue(options)}`);
  checkKnownKeys('', options as Record<string, unknown>, ['entropy', 'solver', ...extra], what);
  return {
    entropy: checkNonNegative('entropy', options.entropy ?? 0),
    solver: checkOneOf('solver', options.solver ?? 'auto', ['auto', 'dense', 'krylov', 'iterative'] as const),
  };
}

/**
 * Exact evaluation of a policy given by its probabilities (and their logs, for the entropy term).
 * Entropy-regularised objective (Mei et al. 2020, §5): J_τ = E[Σ_t γ^t (R(s_t,a_t) − τ log π(a_t|s_t))], so
 *   r_π(s) = Σ_a π(a|s)(R(s,a) − τ log π(a|s)),  V = (I − γP_π)⁻¹ r_π,
 *   Q(s,a) = R(s,a) + γ Σ_s' P(s'|s,a) V(s'),  A(s,a) = Q(s,a) − τ log π(a|s) − V(s),
 *   d_ρ = (1−γ) ρᵀ (I − γP_π)⁻¹,  J = ρᵀ V.
 */
export function evaluatePolicyProbs(
  mdp: TabularMDP,
  pi: Float64Array,
  logPi: Float64Array,
  options: EvaluationOptions = {},
): PolicyEvaluation {
  const { entropy, solver } = checkEvaluationOptions(options);
  const { S, A, gamma, transitions: P, reward: R, rho } = mdp;
  const rPi = policyReward(R, pi, logPi, entropy, S, A, new Float64Array(S));
  const { V, occupancy } = solvePolicy(P, pi, rPi, rho, gamma, solver);
  const Q = new Float64Array(S * A);
  const advantage = new Float64Array(S * A);
  const { rowStart, next: successor, prob } = P;
  for (let k = 0; k < S * A; k++) {
    let next = 0;
    const end = rowStart[k + 1];
    for (let j = rowStart[k]; j < end; j++) next += prob[j] * V[successor[j]];
    Q[k] = R[k] + gamma * next;
    advantage[k] = Q[k] - entropy * logPi[k] - V[(k / A) | 0];
  }
  let J = 0;
  for (let s = 0; s < S; s++) J += rho[s] * V[s];
  return { pi, logPi, V, Q, advantage, occupancy, J, entropy };
}

/**
 * The policy's expected (soft) reward per state, r_π(s) = Σ_a π(a|s)(R(s,a) − τ log π(a|s)), actions with
 * π(a|s) = 0 skipped; written into `out` and returned.
 */
export function policyReward(R: ArrayLike<number>, pi: Float64Array, logPi: Float64Array, entropy: number, S: number, A: number, out: Float64Array): Float64Array {
  for (let s = 0; s < S; s++) {
    let acc = 0;
    for (let a = 0; a < A; a++) {
      const k = s * A + a;
      if (pi[k] > 0) acc += pi[k] * (R[k] - entropy * logPi[k]);
    }
    out[s] = acc;
  }
  return out;
}
