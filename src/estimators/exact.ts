import type { EvaluationOptions, PolicyEvaluation } from '../mdp/evaluate';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import type { TabularMDP } from '../mdp/problem';

/**
 * Policy-gradient theorem for tabular softmax (Agarwal et al. 2021, Lemma C.1; with entropy,
 * Mei et al. 2020, Lemma 10):  ∂J/∂θ(s,a) = d_ρ(s) π(a|s) A(s,a) / (1−γ),
 * where A is the (soft) advantage of mdp/evaluate.ts. Writes into `out` and returns it.
 */
export function gradientFromEvaluation(ev: PolicyEvaluation, A: number, gamma: number, out: Float64Array = new Float64Array(ev.pi.length)): Float64Array {
  const scale = 1 / (1 - gamma);
  for (let k = 0; k < out.length; k++) out[k] = ev.occupancy[(k / A) | 0] * ev.pi[k] * ev.advantage[k] * scale;
  return out;
}

/** ∇J(θ) of the (entropy-regularised, τ ≥ 0) objective, exactly. */
export function exactGradient(mdp: TabularMDP, theta: ArrayLike<number>, options: EvaluationOptions = {}): Float64Array {
  return gradientFromEvaluation(evaluatePolicy(mdp, theta, options), mdp.A, mdp.gamma);
}
