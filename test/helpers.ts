import { createRng, evaluatePolicy, normalQuantile, type TabularMDP } from '../src/index';

/** θ with entries uniform in [−scale, scale], from a seeded stream. */
export function randomTheta(n: number, seed: number | string, scale = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => (2 * rng.double() - 1) * scale);
}

/** Central finite differences of J: (J(θ + h e_k) − J(θ − h e_k)) / 2h, error O(h²). */
export function finiteDifferenceGradient(mdp: TabularMDP, theta: Float64Array, entropy: number, h = 1e-5): Float64Array {
  const out = new Float64Array(theta.length);
  for (let k = 0; k < theta.length; k++) {
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    plus[k] += h;
    minus[k] -= h;
    out[k] = (evaluatePolicy(mdp, plus, { entropy }).J - evaluatePolicy(mdp, minus, { entropy }).J) / (2 * h);
  }
  return out;
}

/** Largest |x_k − y_k| / √(v_k / M): the worst per-coordinate z-score of an estimate against a truth. */
export function worstZ(estimate: ArrayLike<number>, truth: ArrayLike<number>, variance: ArrayLike<number>, M: number): number {
  let worst = 0;
  for (let k = 0; k < estimate.length; k++) {
    const se = Math.sqrt(variance[k] / M);
    const d = Math.abs(estimate[k] - truth[k]);
    // A coordinate that no trajectory touched has variance 0; its estimate must then be exactly the truth's 0-mass value.
    const z = se > 0 ? d / se : d === 0 ? 0 : d > 1e-12 ? Infinity : 0;
    worst = Math.max(worst, z);
  }
  return worst;
}

/** Bonferroni two-sided normal critical value for `count` coordinates at family-wise level α. */
export function bonferroniZ(count: number, alpha = 1e-4): number {
  return normalQuantile(1 - alpha / (2 * count));
}
