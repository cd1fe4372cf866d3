import { checkInteger, checkNonNegative, checkPositive } from '../core/check';
import { norm2 } from '../core/linalg';
import type { Rng } from '../core/rng';
import { exactGradient } from '../estimators/exact';
import type { TabularMDP } from '../mdp/problem';

/**
 * The smoothness constant the theory uses for tabular softmax (Mei et al. 2020, Lemma 7 for the return,
 * Lemma 14 for the discounted entropy): L = (8·(R_max − R_min) + τ(4 + 8 ln A)) / (1−γ)³. The lemmas assume
 * r ∈ [0,1]; ∇J is unchanged by a constant shift of R, so the reward's range stands in for 1.
 */
export function smoothnessBound(mdp: TabularMDP, entropy = 0): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of mdp.reward) {
    lo = Math.min(lo, r);
    hi = Math.max(hi, r);
  }
  return (8 * (hi - lo) + entropy * (4 + 8 * Math.log(mdp.A))) / (1 - mdp.gamma) ** 3;
}

/** Options of `smoothnessEstimate`. */
export interface SmoothnessOptions {
  entropy?: number;
  /** Random unit directions probed at each θ (default 8). */
  directions?: number;
  /** Probe distance δ (default 1e-3). */
  radius?: number;
}

/** An empirical smoothness constant and the bound it is compared with. */
export interface SmoothnessEstimate {
  /** L̂ = the largest ratio found. */
  estimate: number;
  /** Largest ratio at each θ (random probes), and between consecutive θs (the path), NaN for the last. */
  perTheta: number[];
  alongPath: number[];
  bound: number;
  /** L̂ / L: how loose the theory's constant is here. */
  ratio: number;
}

/**
 * L̂ = max ‖∇J(θ') − ∇J(θ)‖ / ‖θ' − θ‖ over θ' = θ + δu for random directions u (uniform in the cube, normalised) at every θ given,
 * and over consecutive θs (a run's θ̄ path). A lower bound on the true L on those regions.
 */
export function smoothnessEstimate(mdp: TabularMDP, thetas: readonly ArrayLike<number>[], options: SmoothnessOptions, rng: Rng): SmoothnessEstimate {
  const entropy = checkNonNegative('entropy', options.entropy ?? 0);
  const directions = checkInteger('directions', options.directions ?? 8, 0);
  const radius = checkPositive('radius', options.radius ?? 1e-3);
  const n = mdp.S * mdp.A;
  const grads = thetas.map((t) => exactGradient(mdp, t, { entropy }));
  const ratio = (a: ArrayLike<number>, ga: Float64Array, b: ArrayLike<number>, gb: Float64Array) => {
    let dg = 0;
    let dt = 0;
    for (let k = 0; k < n; k++) {
      dg += (ga[k] - gb[k]) ** 2;
      dt += (a[k] - b[k]) ** 2;
    }
    return dt > 0 ? Math.sqrt(dg / dt) : NaN;
  };
  const perTheta = thetas.map((theta, j) => {
    let best = 0;
    for (let d = 0; d < directions; d++) {
      const u = Float64Array.from({ length: n }, () => 2 * rng.double() - 1);
      const scale = radius / norm2(u);
      const probe = Float64Array.from(u, (x, k) => theta[k] + scale * x);
      best = Math.max(best, ratio(probe, exactGradient(mdp, probe, { entropy }), theta, grads[j]));
    }
    return best;
  });
  const alongPath = thetas.map((theta, j) => (j + 1 < thetas.length ? ratio(thetas[j + 1], grads[j + 1], theta, grads[j]) : NaN));
  const estimate = Math.max(0, ...perTheta, ...alongPath.filter(Number.isFinite));
  const bound = smoothnessBound(mdp, entropy);
  return { estimate, perTheta, alongPath, bound, ratio: estimate / bound };
}
