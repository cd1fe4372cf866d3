import { createRng, denseTransitions, evaluatePolicy, type FederatedProblem, normalQuantile, softmaxPolicy, type TabularMDP } from '../src/index';

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

/**
 * The Hessian ∇²J(θ) by central differences of the exact gradient, H[j][k] = (∂_k J at θ + h e_j − at θ − h e_j)/2h,
 * symmetrised; error O(h²) per entry. An independent route to the curvature the smoothness estimate probes.
 */
export function finiteDifferenceHessian(gradient: (theta: Float64Array) => Float64Array, theta: Float64Array, h = 1e-4): number[][] {
  const n = theta.length;
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    plus[j] += h;
    minus[j] -= h;
    const gp = gradient(plus);
    const gm = gradient(minus);
    for (let k = 0; k < n; k++) H[j][k] = (gp[k] - gm[k]) / (2 * h);
  }
  for (let j = 0; j < n; j++) for (let k = 0; k < j; k++) H[j][k] = H[k][j] = (H[j][k] + H[k][j]) / 2;
  return H;
}

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (to off-diagonal mass < 1e-22 of the total). */
export function symmetricEigenvalues(matrix: readonly (readonly number[])[]): number[] {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const total = a.reduce((acc, row) => acc + row.reduce((x, y) => x + y * y, 0), 0);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * a[p][q] ** 2;
    if (off <= 1e-22 * total) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((row, i) => row[i]);
}

/**
 * Mean and variance of the truncated discounted return G_K = Σ_{t<K} γ^t (R(s_t,a_t) − τ log π(a_t|s_t)) from
 * s_0 ~ ρ, exactly, by the recursion on the first two moments of the h-step return from each state:
 *   m1_h(s) = Σ_a π(a|s) [r(s,a) + γ (P m1_{h−1})(s,a)],
 *   m2_h(s) = Σ_a π(a|s) [r(s,a)² + 2γ r(s,a) (P m1_{h−1})(s,a) + γ² (P m2_{h−1})(s,a)],   m1_0 = m2_0 = 0.
 * Dense P and plain loops: an implementation independent of the package's estimators and solvers.
 */
export function truncatedReturnMoments(m: TabularMDP, th: ArrayLike<number>, K: number, tau: number): { mean: number; variance: number } {
  const { S, A, gamma } = m;
  const P = denseTransitions(m.transitions);
  const pi = new Float64Array(S * A);
  const r = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    const row = Array.from({ length: A }, (_, a) => th[s * A + a]);
    const z = row.reduce((acc, x) => acc + Math.exp(x), 0);
    for (let a = 0; a < A; a++) {
      pi[s * A + a] = Math.exp(row[a]) / z;
      r[s * A + a] = m.reward[s * A + a] - tau * (row[a] - Math.log(z));
    }
  }
  let m1 = new Float64Array(S);
  let m2 = new Float64Array(S);
  for (let h = 1; h <= K; h++) {
    const n1 = new Float64Array(S);
    const n2 = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      for (let a = 0; a < A; a++) {
        let p1 = 0;
        let p2 = 0;
        for (let t = 0; t < S; t++) {
          p1 += P[(s * A + a) * S + t] * m1[t];
          p2 += P[(s * A + a) * S + t] * m2[t];
        }
        const x = r[s * A + a];
        n1[s] += pi[s * A + a] * (x + gamma * p1);
        n2[s] += pi[s * A + a] * (x * x + 2 * gamma * x * p1 + gamma * gamma * p2);
      }
    }
    m1 = n1;
    m2 = n2;
  }
  let mean = 0;
  let second = 0;
  for (let s = 0; s < S; s++) {
    mean += m.rho[s] * m1[s];
    second += m.rho[s] * m2[s];
  }
  return { mean, variance: second - mean * mean };
}

/** An experiment whose jobs differ 12-fold in work: 2 algorithms × N ∈ {1, 4} × T ∈ {20, 60} × 2 seeds (shard-balance tests). */
export const UNEVEN_EXPERIMENT = {
  format: 'fedpg-lab/experiment@1',
  name: 'uneven',
  kind: 'runs',
  parameters: { generator: 'garnet', states: 5, actions: 3, branching: 2, gamma: 0.8, heterogeneity: 1, problemSeed: 1, localSteps: 2, stepSize: 0.5, oracle: 'exact', entropy: 0.1, every: 10 },
  grid: { algorithm: ['fast-fedpg', 'fedavg-pg'], agents: [1, 4], rounds: [20, 60] },
  seeds: 2,
};

/** Agent i's J_K(θ) = Σ_{t<K} γ^t ρᵀ P_π^t r_π with dense products (τ = 0): the mean of a truncated return, independent of estimators/truncated.ts. */
export function truncatedValue(p: FederatedProblem, i: number, theta: Float64Array, K: number): number {
  const { S, A, gamma } = p;
  const P = denseTransitions(p.transitions);
  const pi = softmaxPolicy(theta, S, A).pi;
  let d = Float64Array.from(p.rho);
  let J = 0;
  for (let t = 0; t < K; t++) {
    const next = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      for (let a = 0; a < A; a++) {
        const w = d[s] * pi[s * A + a];
        J += gamma ** t * w * p.rewards[i][s * A + a];
        for (let s2 = 0; s2 < S; s2++) next[s2] += w * P[(s * A + a) * S + s2];
      }
    }
    d = next;
  }
  return J;
}
