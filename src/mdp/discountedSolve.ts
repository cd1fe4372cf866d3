import { luFactor, luSolve, luSolveTransposed, singularError } from '../core/linalg';
import { sharedLuWorkspace } from '../core/luKernel';
import { type DiscountedSolution, ITERATIVE_TOLERANCE, krylovPolicySolve } from './krylovSolve';
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

export { type DiscountedSolution, ITERATIVE_TOLERANCE } from './krylovSolve';

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
 * straight from P for 'dense' (LU), compressed P_π for 'iterative'; for 'krylov' (mdp/krylovSolve.ts) P_π
 * built in the Krylov kernel, dense when P has more than a third of its S·A·S entries (contiguous rows
 * multiply several times faster than the indirect x[col[k]] of compressed rows), else compressed rows with
 * repeated columns merged.
 */
export function solvePolicy(P: Transitions, pi: Float64Array, r: Float64Array, rho: Float64Array, gamma: number, solver: Solver = 'auto'): DiscountedSolution {
  const { S, A } = P;
  const kind = solver === 'auto' ? (S <= DENSE_SOLVE_LIMIT ? 'dense' : 'krylov') : solver;
  if (kind === 'dense') return denseSolvePolicy(P, pi, r, rho, gamma);
  if (kind === 'krylov') {
    const out = krylovPolicySolve({ kind: 'transitions', P, pi, dense: P.next.length * 3 > S * A * S }, r, rho, gamma);
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
  if (kind === 'krylov') return krylovPolicySolve({ kind: 'rows', ...mergeKernel(K) }, r, rho, gamma) ?? iterativeSolve(K, r, rho, gamma);
  return iterativeSolve(K, r, rho, gamma);
}
