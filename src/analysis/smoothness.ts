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
  /** Power-iteration steps at each θ (default 20). */
  iterations?: number;
  /** Probe distance δ (default 1e-3). */
  radius?: number;
}

/** An empirical smoothness constant and the bound it is compared with. */
export interface SmoothnessEstimate {
  /** L̂ = the largest ratio found. */
  estimate: number;
  /** The local constant |λ_max(∇²J(θ))| at each θ (power iteration), and the ratio between consecutive θs (the path; NaN for the last). */
  perTheta: number[];
  alongPath: number[];
  bound: number;
  /** L̂ / L: how loose the theory's constant is here. */
  ratio: number;
}

/**
 * L̂ = the largest of: at every θ given, |λ_max| of the Hessian ∇²J(θ) by power iteration on finite-difference
 * Hessian–vector products, u ← (∇J(θ + δu) − ∇J(θ))/δ normalised, from a random start; and
 * ‖∇J(θ') − ∇J(θ)‖ / ‖θ' − θ‖ between consecutive θs (a run's θ̄ path). A lower bound on the true L over
 * those regions, to set against the theory's constant.
 */
export function smoothnessEstimate(mdp: TabularMDP, thetas: readonly ArrayLike<number>[], options: SmoothnessOptions, rng: Rng): SmoothnessEstimate {
  const entropy = checkNonNegative('entropy', options.entropy ?? 0);
  const iterations = checkInteger('iterations', options.iterations ?? 20, 0);
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
    let u = Float64Array.from({ length: n }, () => 2 * rng.double() - 1);
    let best = 0;
    for (let it = 0; it < iterations; it++) {
      const scale = radius / norm2(u);
      const probe = Float64Array.from(u, (x, k) => theta[k] + scale * x);
      const g = exactGradient(mdp, probe, { entropy });
      best = Math.max(best, ratio(probe, g, theta, grads[j]));
      u = Float64Array.from(g, (x, k) => x - grads[j][k]);
      if (norm2(u) === 0) break;
    }
    return best;
  });
  const alongPath = thetas.map((theta, j) => (j + 1 < thetas.length ? ratio(thetas[j + 1], grads[j + 1], theta, grads[j]) : NaN));
  const estimate = Math.max(0, ...perTheta, ...alongPath.filter(Number.isFinite));
  const bound = smoothnessBound(mdp, entropy);
  return { estimate, perTheta, alongPath, bound, ratio: estimate / bound };
}
