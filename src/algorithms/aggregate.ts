/**
 * Mean of vectors in shifted form, x̄ = x₀ + (1/n) Σ_i (x_i − x₀): the same value as (1/n) Σ x_i up to
 * round-off, and exactly x₀ when all x_i are equal (so identical agents give an exactly zero correction).
 */
export function meanOf(xs: readonly Float64Array[]): Float64Array {
  const n = xs.length;
  const out = Float64Array.from(xs[0]);
  if (n === 1) return out;
  for (let k = 0; k < out.length; k++) {
    let s = 0;
    for (let i = 1; i < n; i++) s += xs[i][k] - xs[0][k];
    out[k] += s / n;
  }
  return out;
}

/** Server aggregation (Zhu et al. 2024, Algorithm 1 step 4): θ̄ᵗ⁺¹ = θ̄ᵗ + (α_g/N) Σ_i (θ_{i,H} − θ̄ᵗ). */
export function aggregate(thetaBar: Float64Array, locals: readonly Float64Array[], serverStep: number): Float64Array {
  const out = Float64Array.from(thetaBar);
  const n = locals.length;
  for (let k = 0; k < out.length; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += locals[i][k] - thetaBar[k];
    out[k] += (serverStep * s) / n;
  }
  return out;
}
