/**
 * Score function of the tabular softmax policy: ∇_θ log π_θ(a|s) has only row s non-zero, with
 * ∂ log π(a|s) / ∂θ(s,b) = 1[b = a] − π(b|s). Adds `weight` × score into `out` (length S·A).
 */
export function addScore(pi: Float64Array, A: number, s: number, a: number, weight: number, out: Float64Array): Float64Array {
  const o = s * A;
  for (let b = 0; b < A; b++) out[o + b] -= weight * pi[o + b];
  out[o + a] += weight;
  return out;
}
