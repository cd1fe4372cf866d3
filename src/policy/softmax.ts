import { softmaxLogRows } from '../core/softmax';

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
