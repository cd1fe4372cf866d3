import { checkKnownKeys, isPlainObject } from '../core/schema';
import { checkInteger, checkNonNegative, checkVector, fail } from '../core/check';
import { softmaxPolicy } from '../policy/softmax';
import type { TabularMDP } from '../mdp/problem';
import { tabularStateSpace } from '../mdp/stateSpace';
import { featureLogits, pullBack } from '../policy/logLinear';
import { type PolicyClass, policyClass, type PolicySpec } from '../policy/policyClass';

/** The K-truncated objective and its exact gradient. */
export interface TruncatedGradient {
  /** J_K = E[Σ_{t<K} γ^t (R(s_t,a_t) − τ log π(a_t|s_t))]. */
  J: number;
  grad: Float64Array;
}

/**
 * Exact gradient of the K-truncated objective, the quantity that GPOMDP and REINFORCE estimate without
 * bias (docs/paper.md, "The gradient oracle": the estimators are unbiased for ∇J_K). With h-step values
 *   V₀ = 0,  Q_h(s,a) = R(s,a) + γ Σ_s' P(s'|s,a) V_{h−1}(s'),  V_h(s) = Σ_a π(a|s)(Q_h(s,a) − τ log π(a|s)),
 * and state distributions d₀ = ρ, d_{k+1}(s') = Σ_s d_k(s) P_π(s,s'), the finite-horizon policy-gradient
 * theorem gives
 *   ∂J_K/∂θ(s,a) = Σ_{k<K} γ^k d_k(s) π(a|s) (Q_{K−k}(s,a) − τ log π(a|s) − V_{K−k}(s)).
 * Cost O(K (nnz(P) + S·A)), memory O(K·S). For a log-linear class (`policy`) π is the softmax of the
 * logits ℓ = Φθ and ∇J_K(θ) = Φᵀ ∇_ℓ J_K (the chain rule, as for exactGradient; one-hot: bit for bit).
 */
export function truncatedGradient(
  mdp: TabularMDP,
  theta: ArrayLike<number>,
  options: { horizon: number; entropy?: number; policy?: PolicySpec | PolicyClass<number> },
): TruncatedGradient {
  if (!isPlainObject(options)) fail('options', options, 'must be an object { horizon, entropy, policy }');
  checkKnownKeys('', options, ['horizon', 'entropy', 'policy'], 'truncatedGradient options');
  const K = checkInteger('horizon', options.horizon, 1);
  const tau = checkNonNegative('entropy', options.entropy ?? 0);
  const { S, A, gamma, reward: R, transitions: P, rho } = mdp;
  const cls = options.policy === undefined ? null : policyClass(options.policy, tabularStateSpace(mdp));
  const features = cls?.features ?? null;
  const th = checkVector('theta', theta, cls ? cls.dimension : S * A);
  const { pi, logPi } = softmaxPolicy(features ? featureLogits(features, th, S) : th, S, A);
  // values[h] = V_h for h = 0..K, advantages[h] = Q_h − τ log π − V_h for h = 1..K.
  const values: Float64Array[] = [new Float64Array(S)];
  const advantages: Float64Array[] = [new Float64Array(0)];
  for (let h = 1; h <= K; h++) {
    const prev = values[h - 1];
    const V = new Float64Array(S);
    const adv = new Float64Array(S * A);
    for (let k = 0; k < S * A; k++) {
      let next = 0;
      for (let j = P.rowStart[k]; j < P.rowStart[k + 1]; j++) next += P.prob[j] * prev[P.next[j]];
      adv[k] = R[k] + gamma * next - tau * logPi[k];
      if (pi[k] > 0) V[(k / A) | 0] += pi[k] * adv[k];
    }
    for (let k = 0; k < S * A; k++) adv[k] -= V[(k / A) | 0];
    values.push(V);
    advantages.push(adv);
  }
  const grad = new Float64Array(S * A);
  let d = Float64Array.from(rho);
  let discount = 1;
  for (let k = 0; k < K; k++) {
    const adv = advantages[K - k];
    for (let j = 0; j < S * A; j++) grad[j] += discount * d[(j / A) | 0] * pi[j] * adv[j];
    const nextD = new Float64Array(S);
    for (let j = 0; j < S * A; j++) {
      const w = d[(j / A) | 0] * pi[j];
      if (w === 0) continue;
      for (let e = P.rowStart[j]; e < P.rowStart[j + 1]; e++) nextD[P.next[e]] += w * P.prob[e];
    }
    d = nextD;
    discount *= gamma;
  }
  let J = 0;
  for (let s = 0; s < S; s++) J += rho[s] * values[K][s];
  return { J, grad: features ? pullBack(features, grad, S) : grad };
}
