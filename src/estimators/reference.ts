import type { Rng } from '../core/rng';
import { xoshiroNext, xoshiroSeed } from '../core/xoshiro';
import type { Environment } from '../mdp/environment';
import type { Policy } from '../policy/policy';

/** Sampled-estimator settings, resolved (estimators/sampled.ts checks them). */
export interface EstimatorSettings {
  /** K. */
  horizon: number;
  /** M. */
  batch: number;
  reinforce: boolean;
  /** τ ≥ 0. */
  entropy: number;
  /** Also the per-coordinate sample variance of the M per-trajectory terms. */
  variance: boolean;
}

/**
 * The GPOMDP sum of one trajectory, added into `out`, the one written in the source (the reference estimator
 * and the importance-weighted one call it; the WebAssembly kernel is tested equal to it):
 *   Σ_{k<K} G_k ∇_θ log π(a_k|s_k),   G_k = Σ_{t=k}^{K−1} d_t  (GPOMDP)  or  G_k = G_0  (REINFORCE),
 * where d_t = γ^t r_t are the discounted rewards. G_k is formed backwards, G_k = G_{k+1} + d_k; REINFORCE's
 * G_0 forwards, d_0 + d_1 + …. Returns G_0, the trajectory's truncated return. `G` is scratch of length K.
 */
export function addTrajectoryTerm<State>(policy: Policy<State>, states: readonly State[], actions: ArrayLike<number>, discounted: ArrayLike<number>, reinforce: boolean, G: Float64Array, out: Float64Array): number {
  const K = discounted.length;
  let g = 0;
  if (reinforce) {
    for (let t = 0; t < K; t++) g += discounted[t];
    G.fill(g, 0, K);
  } else {
    for (let t = K - 1; t >= 0; t--) G[t] = g += discounted[t];
  }
  for (let k = 0; k < K; k++) policy.addScore(states[k], actions[k], G[k], out);
  return g;
}

/**
 * The sampled, truncated policy-gradient estimator, written to be read: the specification that the fast
 * tabular kernel (estimators/walkEstimator.ts, walk.wat) reproduces. On M trajectories of K steps,
 *   ĝ = (1/M) Σ_m Σ_{k<K} G_k^{(m)} ∇_θ log π_θ(a_k|s_k),   r_t = R(s_t, a_t) − τ log π_θ(a_t|s_t),
 * GPOMDP with G_k = Σ_{t≥k} γ^t r_t, REINFORCE with G_k = Σ_t γ^t r_t; both are unbiased for ∇J_K
 * (estimators/truncated.ts). The term −τ Σ_t γ^t ∇log π(a_t|s_t) of the regularised gradient has mean zero
 * given s_t and is left out. Stream contract: four 32-bit draws of `rng.uniform` seed a xoshiro128**
 * generator (core/xoshiro.ts) whose uniforms give, per trajectory, s₀ ~ ρ, then per step the action and
 * (except after the last step) the successor. γ^t is the running product 1·γ·γ·…, as the kernel forms it.
 * Returns the sum Σ_m g_m into `out` divided by M, Σ_m G_0^{(m)}, and (with `variance`) Σ_m g_m and Σ_m g_m².
 */
export function referenceEstimate<State>(env: Environment<State>, policy: Policy<State>, gamma: number, settings: EstimatorSettings, rng: Rng, out: Float64Array): { returns: number; sum: Float64Array | null; sumSq: Float64Array | null } {
  const { horizon: K, batch: M, reinforce, entropy: tau } = settings;
  const d = policy.dimension;
  const draw = xoshiroSeed(rng);
  const states: State[] = new Array(K);
  const actions = new Int32Array(K);
  const discounted = new Float64Array(K);
  const G = new Float64Array(K);
  const term = settings.variance ? new Float64Array(d) : null;
  const sum = settings.variance ? new Float64Array(d) : null;
  const sumSq = settings.variance ? new Float64Array(d) : null;
  out.fill(0);
  let returns = 0;
  for (let m = 0; m < M; m++) {
    let s = env.reset(xoshiroNext(draw));
    let disc = 1;
    for (let t = 0; t < K; t++) {
      const a = policy.sample(s, xoshiroNext(draw));
      states[t] = s;
      actions[t] = a;
      discounted[t] = disc * (tau > 0 ? env.reward(s, a) - tau * policy.logProb(s, a) : env.reward(s, a));
      disc *= gamma;
      if (t + 1 < K) s = env.step(s, a, xoshiroNext(draw));
    }
    returns += addTrajectoryTerm(policy, states, actions, discounted, reinforce, G, out);
    if (term && sum && sumSq) {
      term.fill(0);
      addTrajectoryTerm(policy, states, actions, discounted, reinforce, G, term);
      for (let k = 0; k < d; k++) {
        sum[k] += term[k];
        sumSq[k] += term[k] * term[k];
      }
    }
  }
  for (let k = 0; k < d; k++) out[k] /= M;
  return { returns, sum, sumSq };
}
