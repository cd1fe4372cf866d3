import { gmres } from '../core/gmres';
import { luFactor, luSolve, luSolveTransposed, singularError } from '../core/linalg';
import { sharedLuWorkspace } from '../core/luKernel';
import type { Transitions } from './transitions';

/**
 * The state-to-state kernel of a policy, P_π(s, s') = Σ_a π(a|s) P(s'|s,a), in compressed sparse rows
 * (`rowStart` of length S+1, columns `col`, values `val`; a column may repeat within a row).
 */
export interface PolicyKernel {
  readonly S: number;
  readonly rowStart: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

/** Build P_π from P and π (row-major S×A). Actions with π(a|s) = 0 contribute nothing. */
export function policyKernel(P: Transitions, pi: Float64Array): PolicyKernel {
  const { S, A } = P;
  const rowStart = new Int32Array(S + 1);
  let nnz = 0;
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) if (pi[s * A + a] > 0) nnz += P.rowStart[s * A + a + 1] - P.rowStart[s * A + a];
    rowStart[s + 1] = nnz;
  }
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let k = 0;
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const w = pi[s * A + a];
      if (!(w > 0)) continue;
      for (let j = P.rowStart[s * A + a]; j < P.rowStart[s * A + a + 1]; j++) {
        col[k] = P.next[j];
        val[k] = w * P.prob[j];
        k++;
      }
    }
  }
  return { S, rowStart, col, val };
}

/** How the two discounted linear systems are solved. */
export type Solver = 'auto' | 'dense' | 'krylov' | 'iterative';

/** Largest S solved densely by 'auto' (LU is O(S³); above this, Krylov iterations win). */
export const DENSE_SOLVE_LIMIT = 200;

/** Relative accuracy that the iterative solver guarantees (in the sup norm, against the solution's scale). */
export const ITERATIVE_TOLERANCE = 1e-14;

/** Solutions of V = r_π + γ P_π V and dᵀ = (1−γ) ρᵀ + γ dᵀ P_π. */
export interface DiscountedSolution {
  V: Float64Array;
  occupancy: Float64Array;
}

function denseSolve(K: PolicyKernel, r: Float64Array, rho: Float64Array, gamma: number): DiscountedSolution {
  const S = K.S;
  const m = new Float64Array(S * S);
  for (let s = 0; s < S; s++) {
    m[s * S + s] = 1;
    for (let k = K.rowStart[s]; k < K.rowStart[s + 1]; k++) m[s * S + K.col[k]] -= gamma * K.val[k];
  }
  const lu = luFactor(m, S);
  const V = luSolve(lu, Float64Array.from(r));
  const occupancy = luSolveTransposed(lu, Float64Array.from(rho));
  for (let s = 0; s < S; s++) occupancy[s] *= 1 - gamma;
  return { V, occupancy };
}

/**
 * m = I − γP_π (row-major S×S) from P and π directly: P_π's entries γ·(π(a|s) P(s'|s,a)) subtracted from I
 * row by row, actions in order, those with π(a|s) = 0 skipped. The TypeScript twin of the LU kernel's
 * identityMinusWeighted (same operations, same order, so the same bits); shared by the dense solve and the
 * exact oracle where the kernel's workspace is not used.
 */
export function fillIdentityMinusWeighted(m: Float64Array, P: Transitions, pi: Float64Array, gamma: number): Float64Array {
  const { S, A, rowStart, next, prob } = P;
  m.fill(0);
  for (let s = 0; s < S; s++) {
    const row = s * S;
    m[row + s] = 1;
    for (let a = 0; a < A; a++) {
      const w = pi[s * A + a];
      if (!(w > 0)) continue;
      const end = rowStart[s * A + a + 1];
      for (let j = rowStart[s * A + a]; j < end; j++) m[row + next[j]] -= gamma * (w * prob[j]);
    }
  }
  return m;
}

/**
 * denseSolve from P and π directly, with the same operations in the same order (P_π's entries γ·(π(a|s)
 * P(s'|s,a)) subtracted from I row by row, actions in order, those with π(a|s) = 0 skipped), so the same
 * bits, without building P_π's S·A·b compressed entries first; I − γP_π is built, factored and solved in
 * the WebAssembly LU workspace (core/luKernel.ts) when it holds it.
 */
function denseSolvePolicy(P: Transitions, pi: Float64Array, r: Float64Array, rho: Float64Array, gamma: number): DiscountedSolution {
  const { S } = P;
  const ws = sharedLuWorkspace(S);
  const m = ws ? ws.matrix : new Float64Array(S * S);
  fillIdentityMinusWeighted(m, P, pi, gamma);
  let V: Float64Array;
  let occupancy: Float64Array;
  if (ws) {
    const singular = ws.factor();
    if (singular >= 0) throw singularError(singular);
    const x = ws.vectors[0];
    x.set(r);
    ws.solve(0);
    V = Float64Array.from(x);
    x.set(rho);
    ws.solveTransposed(0);
    occupancy = Float64Array.from(x);
  } else {
    const lu = luFactor(m, S);
    V = luSolve(lu, Float64Array.from(r));
    occupancy = luSolveTransposed(lu, Float64Array.from(rho));
  }
  for (let s = 0; s < S; s++) occupancy[s] *= 1 - gamma;
  return { V, occupancy };
}

/**
 * Gauss–Seidel for V (a γ-contraction in the sup norm, so it converges for every γ < 1) and Jacobi
 * for d; stops when the a-posteriori bound γ/(1−γ)·‖Δ‖ falls below ITERATIVE_TOLERANCE × scale.
 */
function iterativeSolve(K: PolicyKernel, r: Float64Array, rho: Float64Array, gamma: number): DiscountedSolution {
  const S = K.S;
  const V = new Float64Array(S);
  let rMax = 0;
  for (let s = 0; s < S; s++) rMax = Math.max(rMax, Math.abs(r[s]));
  const vScale = Math.max(rMax / (1 - gamma), Number.MIN_VALUE);
  const factor = gamma / (1 - gamma);
  const maxIter = 100 + Math.ceil(Math.log(1e-17) / Math.log(Math.max(gamma, 1e-3)));
  for (let it = 0; it < 10 * maxIter; it++) {
    let delta = 0;
    for (let s = 0; s < S; s++) {
      let acc = r[s];
      let diag = 0;
      for (let k = K.rowStart[s]; k < K.rowStart[s + 1]; k++) {
        const c = K.col[k];
        if (c === s) diag += K.val[k];
        else acc += gamma * K.val[k] * V[c];
      }
      const v = acc / (1 - gamma * diag);
      const d = Math.abs(v - V[s]);
      if (d > delta) delta = d;
      V[s] = v;
    }
    if (factor * delta <= ITERATIVE_TOLERANCE * vScale) break;
  }
  let d = Float64Array.from(rho, (x) => (1 - gamma) * x);
  let nextD = new Float64Array(S);
  for (let it = 0; it < 10 * maxIter; it++) {
    for (let s = 0; s < S; s++) nextD[s] = (1 - gamma) * rho[s];
    for (let s = 0; s < S; s++) {
      const ds = gamma * d[s];
      if (ds === 0) continue;
      for (let k = K.rowStart[s]; k < K.rowStart[s + 1]; k++) nextD[K.col[k]] += ds * K.val[k];
    }
    let change = 0;
    for (let s = 0; s < S; s++) change += Math.abs(nextD[s] - d[s]);
    const t = d;
    d = nextD;
    nextD = t;
    if (factor * change <= ITERATIVE_TOLERANCE) break;
  }
  return { V, occupancy: d };
}

/** P_π with the repeated columns of each row summed, so a product costs one term per (s, s') pair. */
export function mergeKernel(K: PolicyKernel): PolicyKernel {
  const S = K.S;
  const slot = new Int32Array(S).fill(-1);
  const rowStart = new Int32Array(S + 1);
  const col = new Int32Array(K.col.length);
  const val = new Float64Array(K.col.length);
  let n = 0;
  for (let s = 0; s < S; s++) {
    const first = n;
    for (let k = K.rowStart[s]; k < K.rowStart[s + 1]; k++) {
      const c = K.col[k];
      if (slot[c] >= first) val[slot[c]] += K.val[k];
      else {
        slot[c] = n;
        col[n] = c;
        val[n++] = K.val[k];
      }
    }
    rowStart[s + 1] = n;
  }
  return { S, rowStart, col: col.slice(0, n), val: val.slice(0, n) };
}

/**
 * Restarted GMRES (core/gmres.ts) on (I − γP_π) V = r_π and (I − γP_π)ᵀ x = ρ, d = (1−γ) x, with
 * a-posteriori error bounds from the true residuals: ‖(I − γP_π)⁻¹‖∞ = ‖(I − γP_π)⁻ᵀ‖₁ = 1/(1−γ) for a
 * stochastic P_π, so ‖V − V*‖∞ ≤ ‖res‖∞/(1−γ) and ‖d − d*‖₁ ≤ ‖res_x‖₁. Both must meet the same
 * guarantee as the Gauss–Seidel path; null when GMRES does not get there (the caller falls back).
 * A cycle costs m products with P_π (O(nnz) each) instead of the ≈ log(tol)/log γ sweeps of Gauss–Seidel.
 */
function krylovSolve(K: PolicyKernel | null, denseP: Float64Array | null, S: number, r: Float64Array, rho: Float64Array, gamma: number): DiscountedSolution | null {
  const rowStart = K ? K.rowStart : new Int32Array(0);
  const col = K ? K.col : new Int32Array(0);
  const val = K ? K.val : new Float64Array(0);
  let rMax = 0;
  for (let s = 0; s < S; s++) rMax = Math.max(rMax, Math.abs(r[s]));
  const vScale = Math.max(rMax / (1 - gamma), Number.MIN_VALUE);
  // Dense products are row dot-products (the transpose is stored too, so both systems read rows).
  const dense = denseP;
  const denseT = denseP ? transpose(denseP, S) : null;
  const applyA = (x: Float64Array, out: Float64Array) => {
    if (dense) denseMultiply(dense, S, x, gamma, out);
    else {
      for (let s = 0; s < S; s++) {
        let acc = 0;
        for (let k = rowStart[s]; k < rowStart[s + 1]; k++) acc += val[k] * x[col[k]];
        out[s] = x[s] - gamma * acc;
      }
    }
  };
  const applyAT = (x: Float64Array, out: Float64Array) => {
    if (denseT) denseMultiply(denseT, S, x, gamma, out);
    else {
      out.set(x);
      for (let s = 0; s < S; s++) {
        const xs = gamma * x[s];
        if (xs === 0) continue;
        for (let k = rowStart[s]; k < rowStart[s + 1]; k++) out[col[k]] -= xs * val[k];
      }
    }
  };
  // ‖res‖∞ ≤ ‖res‖₂ and ‖res‖₁ ≤ √S ‖res‖₂: the 2-norm targets (halved) at which a cycle may stop early.
  // Start from V ≈ r + γ/(1−γ)·mean(r): the constant vector is the slow mode of I − γP_π (eigenvalue 1−γ),
  // and for a well-mixing chain its weight is close to the mean reward, so GMRES starts near the answer.
  let rMean = 0;
  for (let s = 0; s < S; s++) rMean += r[s] / S;
  const v0 = Float64Array.from(r, (x) => x + (gamma / (1 - gamma)) * rMean);
  const v = gmres(applyA, r, v0, {
    tolerance: 0.5 * ITERATIVE_TOLERANCE * (1 - gamma) * vScale,
    accept: (_, res) => {
      let worst = 0;
      for (let s = 0; s < S; s++) worst = Math.max(worst, Math.abs(res[s]));
      return worst / (1 - gamma) <= ITERATIVE_TOLERANCE * vScale;
    },
  });
  if (!v.converged) return null;
  // Likewise x = (I − γP_πᵀ)⁻¹ρ sums to 1/(1−γ): start from ρ plus the rest spread uniformly.
  const x0 = Float64Array.from(rho, (p) => p + gamma / (1 - gamma) / S);
  const x = gmres(applyAT, rho, x0, {
    tolerance: (0.5 * ITERATIVE_TOLERANCE) / Math.sqrt(S),
    accept: (_, res) => {
      let total = 0;
      for (let s = 0; s < S; s++) total += Math.abs(res[s]);
      return total <= ITERATIVE_TOLERANCE;
    },
  });
  if (!x.converged) return null;
  const occupancy = x.x;
  for (let s = 0; s < S; s++) occupancy[s] *= 1 - gamma;
  return { V: v.x, occupancy };
}

/** The transpose of a row-major n×n matrix. */
function transpose(m: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j];
  return t;
}

/**
 * out = x − γ M x for a row-major n×n M. Four partial sums per row: one accumulator would chain every
 * addition on the previous one's latency.
 */
function denseMultiply(m: Float64Array, n: number, x: Float64Array, gamma: number, out: Float64Array): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < n; i++) {
    const o = i * n;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let j = 0;
    for (; j < n4; j += 4) {
      a0 += m[o + j] * x[j];
      a1 += m[o + j + 1] * x[j + 1];
      a2 += m[o + j + 2] * x[j + 2];
      a3 += m[o + j + 3] * x[j + 3];
    }
    for (; j < n; j++) a0 += m[o + j] * x[j];
    out[i] = x[i] - gamma * (a0 + a1 + (a2 + a3));
  }
}

/** P_π as a dense row-major S×S matrix, built straight from P: P_π(s, s') = Σ_a π(a|s) P(s'|s,a). */
export function policyMatrix(P: Transitions, pi: Float64Array): Float64Array {
  const { S, A, rowStart, next, prob } = P;
  const m = new Float64Array(S * S);
  for (let s = 0; s < S; s++) {
    const o = s * S;
    for (let a = 0; a < A; a++) {
      const w = pi[s * A + a];
      if (!(w > 0)) continue;
      const end = rowStart[s * A + a + 1];
      for (let j = rowStart[s * A + a]; j < end; j++) m[o + next[j]] += w * prob[j];
    }
  }
  return m;
}

/**
 * Policy evaluation's two solves from P and π, building only what the chosen solver needs: I − γP_π
 * straight from P for 'dense' (LU), compressed P_π for 'iterative'; for 'krylov' a dense P_π when P has more than a third of its
 * S·A·S entries (contiguous rows multiply several times faster than the indirect x[col[k]] of compressed
 * rows), else compressed rows with repeated columns merged.
 */
export function solvePolicy(P: Transitions, pi: Float64Array, r: Float64Array, rho: Float64Array, gamma: number, solver: Solver = 'auto'): DiscountedSolution {
  const { S, A } = P;
  const kind = solver === 'auto' ? (S <= DENSE_SOLVE_LIMIT ? 'dense' : 'krylov') : solver;
  if (kind === 'dense') return denseSolvePolicy(P, pi, r, rho, gamma);
  if (kind === 'krylov') {
    const denseP = P.next.length * 3 > S * A * S;
    const K = denseP ? null : mergeKernel(policyKernel(P, pi));
    const out = krylovSolve(K, denseP ? policyMatrix(P, pi) : null, S, r, rho, gamma);
    if (out) return out;
  }
  return solveDiscounted(policyKernel(P, pi), r, rho, gamma, kind === 'krylov' ? 'iterative' : kind);
}

/**
 * Solve the two linear systems of policy evaluation:
 *   V = (I − γ P_π)⁻¹ r_π  and  d_ρ = (1−γ) ρᵀ (I − γ P_π)⁻¹  (discounted occupancy, Σ d_ρ = 1).
 * 'dense' factors I − γP_π once (LU, O(S³)) and reuses it for both; 'krylov' runs restarted GMRES on
 * products with P_π (O(nnz) each; a few dozen suffice when P_π mixes fast) and falls back to 'iterative'
 * if it has not met the error guarantee after 20 cycles; 'iterative' is Gauss–Seidel / Jacobi (O(nnz) a
 * sweep, ≈ log(tol)/log γ sweeps); 'auto' is dense for S ≤ DENSE_SOLVE_LIMIT and krylov above.
 */
export function solveDiscounted(
  K: PolicyKernel,
  r: Float64Array,
  rho: Float64Array,
  gamma: number,
  solver: Solver = 'auto',
): DiscountedSolution {
  const kind = solver === 'auto' ? (K.S <= DENSE_SOLVE_LIMIT ? 'dense' : 'krylov') : solver;
  if (kind === 'dense') return denseSolve(K, r, rho, gamma);
  if (kind === 'krylov') return krylovSolve(mergeKernel(K), null, K.S, r, rho, gamma) ?? iterativeSolve(K, r, rho, gamma);
  return iterativeSolve(K, r, rho, gamma);
}
