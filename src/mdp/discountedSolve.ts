import { luFactor, luSolve, luSolveTransposed } from '../core/linalg';
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
export type Solver = 'auto' | 'dense' | 'iterative';

/** Largest S solved densely by 'auto' (LU is O(S³); above this, sparse iterations win). */
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

/**
 * Solve the two linear systems of policy evaluation:
 *   V = (I − γ P_π)⁻¹ r_π  and  d_ρ = (1−γ) ρᵀ (I − γ P_π)⁻¹  (discounted occupancy, Σ d_ρ = 1).
 * 'dense' factors I − γP_π once (LU, O(S³)) and reuses it for both; 'iterative' exploits sparsity
 * (O(nnz) a sweep, ≈ log(tol)/log γ sweeps); 'auto' is dense for S ≤ DENSE_SOLVE_LIMIT.
 */
export function solveDiscounted(
  K: PolicyKernel,
  r: Float64Array,
  rho: Float64Array,
  gamma: number,
  solver: Solver = 'auto',
): DiscountedSolution {
  const dense = solver === 'dense' || (solver === 'auto' && K.S <= DENSE_SOLVE_LIMIT);
  return dense ? denseSolve(K, r, rho, gamma) : iterativeSolve(K, r, rho, gamma);
}
