import { type LuWorkspace, sharedLuWorkspace } from './luKernel';

/** Small dense linear algebra on row-major Float64Arrays, and vector helpers. */

/** An LU factorisation with partial pivoting, P·M = L·U, stored in place (unit lower L below the diagonal). */
export interface LU {
  readonly n: number;
  readonly lu: Float64Array;
  readonly pivot: Int32Array;
}

/**
 * Smallest n that luFactor and the solves hand to the WebAssembly kernel. A call on ordinary arrays costs
 * ≈ 0.15 µs of copies and call overhead whatever n, which the kernel wins back from n ≈ 7 for the O(n³)
 * factorisation (n = 8: 0.30 µs against 0.44 µs in TypeScript) but only from n ≈ 15 for an O(n²) solve
 * (n = 12: 0.39 against 0.29 µs; n = 20: 0.55 against 0.68 µs). The exact oracle's in-place workspace has
 * no copies and uses the kernel for every n.
 */
const WASM_FACTOR_FROM = 8;
const WASM_SOLVE_FROM = 16;

/**
 * Factor the n×n matrix `m` (overwritten) by Doolittle elimination with partial pivoting: for each column k,
 * the pivot is the first row i ≥ k with the largest |m[i][k]|, rows k and p swap (all n columns), and each
 * row i > k gets the multiplier f = m[i][k] · (1/m[k][k]) stored in place and, unless f = 0, the update
 * m[i][j] −= f·m[k][j] for j > k. Runs in the WebAssembly kernel (core/lu.wat, the same operations in the
 * same order, so the same bits), or in luFactorScalar when WebAssembly cannot hold the matrix.
 * Throws at the first column whose largest |m[i][k]| is 0.
 */
export function luFactor(m: Float64Array, n: number): LU {
  const ws = n >= WASM_FACTOR_FROM && m.length >= n * n ? sharedLuWorkspace(n) : null;
  if (!ws) return luFactorScalar(m, n);
  ws.matrix.set(m.length === n * n ? m : m.subarray(0, n * n));
  const singular = ws.factor();
  m.set(ws.matrix);
  if (singular >= 0) throw singularError(singular);
  return { n, lu: m, pivot: ws.pivot.slice() };
}

/** The error of a matrix whose largest |m[i][k]| is 0 at column k, the same for every path. */
export function singularError(k: number): Error {
  return new Error(`luFactor: matrix is singular at column ${k}`);
}

/** Solve M x = b with a factorisation of M; b is overwritten with x and returned. */
export function luSolve(lu: LU, b: Float64Array): Float64Array {
  const ws = lu.n >= WASM_SOLVE_FROM ? sharedLuWorkspace(lu.n) : null;
  if (!ws) return luSolveScalar(lu, b);
  loadFactors(ws, lu, b);
  ws.solve(0);
  return copyVector(ws, b);
}

/** Solve Mᵀ x = b with a factorisation of M (P M = L U ⇒ Mᵀ = Uᵀ Lᵀ P); b is overwritten with x. */
export function luSolveTransposed(lu: LU, b: Float64Array): Float64Array {
  const ws = lu.n >= WASM_SOLVE_FROM ? sharedLuWorkspace(lu.n) : null;
  if (!ws) return luSolveTransposedScalar(lu, b);
  loadFactors(ws, lu, b);
  ws.solveTransposed(0);
  return copyVector(ws, b);
}

function loadFactors(ws: LuWorkspace, { n, lu, pivot }: LU, b: Float64Array): void {
  ws.matrix.set(lu.length === n * n ? lu : lu.subarray(0, n * n));
  ws.pivot.set(pivot.length === n ? pivot : pivot.subarray(0, n));
  ws.vectors[0].set(b.length === n ? b : b.subarray(0, n));
}

function copyVector(ws: LuWorkspace, b: Float64Array): Float64Array {
  b.set(ws.vectors[0]);
  return b;
}

/** luFactor in TypeScript (the reference of the WebAssembly kernel, and its fallback). */
export function luFactorScalar(m: Float64Array, n: number): LU {
  const pivot = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(m[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(m[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    pivot[k] = p;
    if (best === 0) throw singularError(k);
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j];
        m[k * n + j] = m[p * n + j];
        m[p * n + j] = t;
      }
    }
    const inv = 1 / m[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = (m[i * n + k] *= inv);
      if (f === 0) continue;
      const ri = i * n;
      const rk = k * n;
      for (let j = k + 1; j < n; j++) m[ri + j] -= f * m[rk + j];
    }
  }
  return { n, lu: m, pivot };
}

/** luSolve in TypeScript: b ← P b, L y = b (forward), U x = y (backward). */
export function luSolveScalar({ n, lu, pivot }: LU, b: Float64Array): Float64Array {
  for (let k = 0; k < n; k++) {
    const p = pivot[k];
    if (p !== k) {
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = b[i];
    for (let j = 0; j < i; j++) s -= lu[i * n + j] * b[j];
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j] * b[j];
    b[i] = s / lu[i * n + i];
  }
  return b;
}

/** luSolveTransposed in TypeScript. */
export function luSolveTransposedScalar({ n, lu, pivot }: LU, b: Float64Array): Float64Array {
  // Uᵀ z = b (forward), Lᵀ w = z (backward), x = Pᵀ w.
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let j = 0; j < i; j++) s -= lu[j * n + i] * b[j];
    b[i] = s / lu[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= lu[j * n + i] * b[j];
    b[i] = s;
  }
  for (let k = n - 1; k >= 0; k--) {
    const p = pivot[k];
    if (p !== k) {
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
  }
  return b;
}

/** Σ x_i y_i. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** ‖x‖₂. */
export function norm2(x: ArrayLike<number>): number {
  return Math.sqrt(dot(x, x));
}

/** max_i |x_i − y_i|. */
export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    if (d > m || Number.isNaN(d)) m = d;
  }
  return m;
}

/** max_i |x_i|. */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]);
    if (d > m || Number.isNaN(d)) m = d;
  }
  return m;
}
