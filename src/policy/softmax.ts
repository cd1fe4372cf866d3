import { buildAlias, sampleAlias } from '../core/alias';
import { softmaxLogRows } from '../core/softmax';
import type { Policy } from './policy';
import { addScore } from './score';

/**
 * Tabular softmax policy π_θ(a|s) = exp θ(s,a) / Σ_b exp θ(s,b), θ ∈ R^{S·A} row-major.
 * Returns π and log π (log π stays finite where π underflows, which keeps τ·π·log π = 0 there).
 */
export function softmaxPolicy(theta: ArrayLike<number>, S: number, A: number, out: { pi: Float64Array; logPi: Float64Array } = { pi: new Float64Array(S * A), logPi: new Float64Array(S * A) }): { pi: Float64Array; logPi: Float64Array } {
  softmaxLogRows(theta, S, A, out.pi, out.logPi);
  return out;
}

/** Per-state entropy H(π(·|s)) = −Σ_a π(a|s) log π(a|s), into `out` (length S). */
export function policyEntropy(pi: Float64Array, logPi: Float64Array, S: number, A: number, out: Float64Array = new Float64Array(S)): Float64Array {
  for (let s = 0; s < S; s++) {
    let h = 0;
    for (let a = 0; a < A; a++) if (pi[s * A + a] > 0) h -= pi[s * A + a] * logPi[s * A + a];
    out[s] = h;
  }
  return out;
}

/**
 * d = S·A, the length of θ of the tabular softmax policy (θ[s·A + a]): the one place the package's
 * parameter dimension is decided (run setups, config checks and the estimators read it).
 */
export function parameterDimension(sizes: { readonly S: number; readonly A: number }): number {
  return sizes.S * sizes.A;
}

/**
 * The tabular softmax policy at θ as a `Policy` over states 0 … S−1: π and log π as `softmaxPolicy` gives
 * them, actions drawn from each row's alias table (core/alias.ts, built on first draw), and the score
 * ∇_θ log π(a|s) = e_{s,a} − π(·|s) on row s (policy/score.ts).
 */
export function softmaxPolicyAt(theta: ArrayLike<number>, S: number, A: number): Policy<number> & { readonly pi: Float64Array; readonly logPi: Float64Array } {
  const { pi, logPi } = softmaxPolicy(theta, S, A);
  let cut: Float64Array | null = null;
  const other = new Int32Array(S * A);
  return {
    dimension: parameterDimension({ S, A }),
    pi,
    logPi,
    sample(s, u) {
      if (!cut) {
        cut = new Float64Array(S * A);
        const work = new Int32Array(2 * A);
        for (let r = 0; r < S; r++) buildAlias(pi, r * A, A, cut, other, work);
      }
      return sampleAlias(cut, other, s * A, A, u);
    },
    logProb: (s, a) => logPi[s * A + a],
    addScore: (s, a, weight, out) => addScore(pi, A, s, a, weight, out),
  };
}
