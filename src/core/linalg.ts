/** Small dense linear algebra on row-major Float64Arrays, and vector helpers. */

/** An LU factorisation with partial pivoting, P·M = L·U, stored in place (unit lower L below the diagonal). */
export interface LU {
  readonly n: number;
  readonly lu: Float64Array;
  readonly pivot: Int32Array;
}

/** Factor the n×n matrix `m` (overwritten) by Doolittle elimination with partial pivoting. */
export function luFactor(m: Float64Array, n: number): LU {
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
    if (best === 0) throw new Error(`luFactor: matrix is singular at column ${k}`);
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

/** Solve M x = b with a factorisation of M; b is overwritten with x and returned. */
export function luSolve({ n, lu, pivot }: LU, b: Float64Array): Float64Array {
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

/** Solve Mᵀ x = b with a factorisation of M (P M = L U ⇒ Mᵀ = Uᵀ Lᵀ P); b is overwritten with x. */
export function luSolveTransposed({ n, lu, pivot }: LU, b: Float64Array): Float64Array {
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
