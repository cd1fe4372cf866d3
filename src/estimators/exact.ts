import { DENSE_SOLVE_LIMIT } from '../mdp/discountedSolve';
import type { PolicyEvaluation } from '../mdp/evaluate';
import { evaluatePolicy, exactPolicyClass, type PolicyEvaluationOptions } from '../policy/evaluatePolicy';
import { pullBack } from '../policy/logLinear';
import { krylovExactGradient } from './krylovFactor';
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

/**
 * ∇J(θ) of the (entropy-regularised, τ ≥ 0) objective, exactly, for the tabular softmax (the default) or a
 * log-linear class (`policy`). For π_θ(a|s) ∝ exp θᵀφ(s, a) the policy-gradient theorem with the log-linear
 * score ∇_θ log π(a|s) = φ(s, a) − Σ_b π(b|s) φ(s, b) reads
 *   ∇J(θ) = (1/(1−γ)) Σ_s d_ρ(s) Σ_a π(a|s) A(s, a) (φ(s, a) − Σ_b π(b|s) φ(s, b))
 *         = (1/(1−γ)) Σ_s d_ρ(s) Σ_a π(a|s) A(s, a) φ(s, a) = Φᵀ g,
 * (A the soft advantage when τ > 0, Mei et al. 2020) since Σ_a π(a|s) A(s, a) = 0 for every s: the centring
 * term drops, and what is left is the chain rule from the logits ℓ = Φθ, with g(s, a) = d_ρ(s) π(a|s)
 * A(s, a)/(1−γ) the tabular gradient at ℓ (`gradientFromEvaluation`), pulled back by Φᵀ (policy/logLinear.ts).
 * One-hot features (Φ = I) give the tabular gradient bit for bit.
 *
 * For the tabular softmax on the Krylov path (S > DENSE_SOLVE_LIMIT with solver 'auto', or 'krylov') the
 * gradient is computed in the Krylov kernel without the Q and advantage tables (estimators/krylovFactor.ts's
 * krylovExactGradient; the same numbers bit for bit); otherwise, or if that path cannot run, from evaluatePolicy.
 */
export function exactGradient(mdp: TabularMDP, theta: ArrayLike<number>, options: PolicyEvaluationOptions = {}): Float64Array {
  const { policy, rest } = exactPolicyClass(mdp, options);
  if (!policy?.features) {
    const solver = rest.solver ?? 'auto';
    if (solver === 'krylov' || (solver === 'auto' && mdp.S > DENSE_SOLVE_LIMIT)) {
      const g = krylovExactGradient(mdp, theta, rest.entropy ?? 0);
      if (g) return g;
    }
  }
  // The class bound once above is passed on: a spec would build its feature map a second time.
  const g = gradientFromEvaluation(evaluatePolicy(mdp, theta, policy ? { ...rest, policy } : rest), mdp.A, mdp.gamma);
  return policy?.features ? pullBack(policy.features, g, mdp.S) : g;
}
