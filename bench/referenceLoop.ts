import type { Rng, TabularMDP } from '../src/index';

/**
 * The baseline a careful researcher writes first, in plain Float64Array loops: truncated GPOMDP,
 *   ĝ = (1/M) Σ_m Σ_t G_t ∇log π(a_t|s_t),  G_t = Σ_{k≥t} γ^k r_k,  ∇_{θ(s,·)} log π(a|s) = e_a − π(·|s),
 * with π computed once per call, the action drawn by a linear scan of π(·|s)'s CDF (O(A)), the successor
 * by a linear scan of the sparse row (O(b)), and the score added per step (O(A)). No alias tables and no
 * deferred application of π: what fedpg-lab's estimator (src/estimators/sampled.ts) does differently.
 * Same random-stream layout (s₀, then action and successor per step), so it costs the same draws.
 */
export function referenceGpomdp(mdp: TabularMDP, theta: Float64Array, K: number, M: number, rng: Rng): Float64Array {
  const { S, A, gamma, reward: R, rho } = mdp;
  const { rowStart, next, prob } = mdp.transitions;
  const pi = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    let mx = -Infinity;
    for (let a = 0; a < A; a++) mx = Math.max(mx, theta[s * A + a]);
    let z = 0;
    for (let a = 0; a < A; a++) z += pi[s * A + a] = Math.exp(theta[s * A + a] - mx);
    for (let a = 0; a < A; a++) pi[s * A + a] /= z;
  }
  const grad = new Float64Array(S * A);
  const states = new Int32Array(K);
  const actions = new Int32Array(K);
  const rewards = new Float64Array(K);
  const u = rng.uniform;
  for (let m = 0; m < M; m++) {
    let x = u();
    let s = 0;
    while (s < S - 1 && x >= rho[s]) x -= rho[s++];
    let disc = 1;
    for (let t = 0; t < K; t++) {
      let y = u();
      let a = 0;
      while (a < A - 1 && y >= pi[s * A + a]) y -= pi[s * A + a++];
      states[t] = s;
      actions[t] = a;
      rewards[t] = disc * R[s * A + a];
      disc *= gamma;
      if (t + 1 < K) {
        let w = u();
        let j = rowStart[s * A + a];
        const end = rowStart[s * A + a + 1] - 1;
        while (j < end && w >= prob[j]) w -= prob[j++];
        s = next[j];
      }
    }
    let G = 0;
    for (let t = K - 1; t >= 0; t--) {
      G += rewards[t];
      const o = states[t] * A;
      for (let a = 0; a < A; a++) grad[o + a] -= G * pi[o + a];
      grad[o + actions[t]] += G;
    }
  }
  for (let k = 0; k < S * A; k++) grad[k] /= M;
  return grad;
}
